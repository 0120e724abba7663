using System.Text.Json;
using Tessera.Stores;

namespace Tessera.MySql;

/// <summary>Registered instances in MySQL or MariaDB, shared by every instance that uses the database.</summary>
internal sealed class MySqlServiceRegistryStore(MySqlDatabase database) : IServiceRegistryStore, IStoreStartup
{
    public Task HeartbeatAsync(ServiceInstance instance, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            """
            INSERT INTO tessera_registry (service, url, methods, last_seen) VALUES (@service, @url, @methods, @last_seen)
            ON DUPLICATE KEY UPDATE methods = VALUES(methods), last_seen = VALUES(last_seen)
            """,
            p =>
            {
                p.AddWithValue("@service", instance.Service);
                p.AddWithValue("@url", instance.Url);
                p.AddWithValue("@methods", JsonSerializer.Serialize(instance.Methods, MySqlJson.Default.IReadOnlyListString));
                p.AddWithValue("@last_seen", instance.LastSeen.Ms());
            },
            cancellationToken);

    public Task RemoveAsync(string service, string url, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "DELETE FROM tessera_registry WHERE service = @service AND url = @url",
            p =>
            {
                p.AddWithValue("@service", service);
                p.AddWithValue("@url", url);
            },
            cancellationToken);

    public async Task<IReadOnlyList<ServiceInstance>> ListAsync(DateTimeOffset seenAfter, CancellationToken cancellationToken) =>
        await database.QueryAsync(
            "SELECT service, url, methods, last_seen FROM tessera_registry WHERE last_seen > @after ORDER BY service, url",
            p => p.AddWithValue("@after", seenAfter.Ms()),
            reader => new ServiceInstance(reader.GetString(0), reader.GetString(1),
                JsonSerializer.Deserialize(reader.GetString(2), MySqlJson.Default.StringArray) ?? [], reader.GetTime(3)),
            cancellationToken);

    public Task PrepareAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
}
