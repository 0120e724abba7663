using System.Text.Json;
using Tessera.Serialization;

namespace Tessera.Stores.Sqlite;

/// <summary>Registered instances in the SQLite file, shared by the processes that use it.</summary>
internal sealed class SqliteServiceRegistryStore(SqliteDatabase database) : IServiceRegistryStore, IStoreStartup
{
    public Task HeartbeatAsync(ServiceInstance instance, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            """
            INSERT INTO tessera_registry (service, url, methods, last_seen) VALUES ($service, $url, $methods, $last_seen)
            ON CONFLICT (service, url) DO UPDATE SET methods = excluded.methods, last_seen = excluded.last_seen;
            """,
            p =>
            {
                p.AddWithValue("$service", instance.Service);
                p.AddWithValue("$url", instance.Url);
                p.AddWithValue("$methods", JsonSerializer.Serialize(instance.Methods, CommonJsonContext.Default.IReadOnlyListString));
                p.AddWithValue("$last_seen", instance.LastSeen.ToUnixMilliseconds());
            },
            cancellationToken);

    public Task RemoveAsync(string service, string url, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "DELETE FROM tessera_registry WHERE service = $service AND url = $url;",
            p =>
            {
                p.AddWithValue("$service", service);
                p.AddWithValue("$url", url);
            },
            cancellationToken);

    public async Task<IReadOnlyList<ServiceInstance>> ListAsync(DateTimeOffset seenAfter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT service, url, methods, last_seen FROM tessera_registry WHERE last_seen > $after ORDER BY service, url;";
        command.Parameters.AddWithValue("$after", seenAfter.ToUnixMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var instances = new List<ServiceInstance>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var methods = JsonSerializer.Deserialize(reader.GetString(2), CommonJsonContext.Default.StringArray) ?? [];
            instances.Add(new ServiceInstance(reader.GetString(0), reader.GetString(1), methods, reader.GetTime(3)));
        }

        return instances;
    }

    public Task PrepareAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
}
