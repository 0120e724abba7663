using System.Text.Json;
using NpgsqlTypes;
using Tessera.Stores;

namespace Tessera.PostgreSQL;

/// <summary>Registered instances in PostgreSQL, shared by every instance that uses the database.</summary>
internal sealed class PostgresServiceRegistryStore(PostgresDatabase database) : IServiceRegistryStore, IStoreStartup
{
    public Task HeartbeatAsync(ServiceInstance instance, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            """
            INSERT INTO tessera_registry (service, url, methods, last_seen) VALUES (@service, @url, @methods, @last_seen)
            ON CONFLICT (service, url) DO UPDATE SET methods = excluded.methods, last_seen = excluded.last_seen;
            """,
            p =>
            {
                p.AddWithValue("service", instance.Service);
                p.AddWithValue("url", instance.Url);
                p.AddWithValue("methods", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(instance.Methods, PostgresJson.Default.IReadOnlyListString));
                p.AddWithValue("last_seen", instance.LastSeen.Utc());
            },
            cancellationToken);

    public Task RemoveAsync(string service, string url, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "DELETE FROM tessera_registry WHERE service = @service AND url = @url;",
            p =>
            {
                p.AddWithValue("service", service);
                p.AddWithValue("url", url);
            },
            cancellationToken);

    public async Task<IReadOnlyList<ServiceInstance>> ListAsync(DateTimeOffset seenAfter, CancellationToken cancellationToken) =>
        await database.QueryAsync(
            "SELECT service, url, methods::text, last_seen FROM tessera_registry WHERE last_seen > @after ORDER BY service COLLATE \"C\", url COLLATE \"C\";",
            p => p.AddWithValue("after", seenAfter.Utc()),
            reader => new ServiceInstance(reader.GetString(0), reader.GetString(1),
                JsonSerializer.Deserialize(reader.GetString(2), PostgresJson.Default.StringArray) ?? [], reader.GetTime(3)),
            cancellationToken);

    public Task PrepareAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
}
