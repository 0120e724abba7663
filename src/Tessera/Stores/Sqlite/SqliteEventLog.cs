using System.Text.Json;

namespace Tessera.Stores.Sqlite;

/// <summary>The event log in the SQLite file: AUTOINCREMENT ids never go back, so readers can resume after any id.</summary>
internal sealed class SqliteEventLog(SqliteDatabase database) : IEventLog, IStoreStartup
{
    public async Task<EventMessage> AppendAsync(string topic, string data, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        var id = await database.WriteSingleAsync(
            "INSERT INTO tessera_events (topic, data, published_at) VALUES ($topic, $data, $published_at) RETURNING id;",
            p =>
            {
                p.AddWithValue("$topic", topic);
                p.AddWithValue("$data", data);
                p.AddWithValue("$published_at", publishedAt.ToUnixMilliseconds());
            },
            reader => (object)reader.GetInt64(0),
            cancellationToken);
        using var document = JsonDocument.Parse(data);
        return new EventMessage((long)id!, topic, document.RootElement.Clone(), publishedAt);
    }

    public async Task<IReadOnlyList<EventMessage>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, topic, data, published_at FROM tessera_events WHERE id > $after ORDER BY id LIMIT $limit;";
        command.Parameters.AddWithValue("$after", afterId);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<EventMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            using var document = JsonDocument.Parse(reader.GetString(2));
            events.Add(new EventMessage(reader.GetInt64(0), reader.GetString(1), document.RootElement.Clone(), reader.GetTime(3)));
        }

        return events;
    }

    public async Task<long> LastIdAsync(CancellationToken cancellationToken) =>
        (long)(await database.QuerySingleAsync(
            "SELECT COALESCE(MAX(id), 0) FROM tessera_events;",
            _ => { },
            reader => (object)reader.GetInt64(0),
            cancellationToken))!;

    public Task<int> TrimAsync(int keep, DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            """
            DELETE FROM tessera_events
            WHERE published_at < $older_than OR id <= (SELECT COALESCE(MAX(id), 0) FROM tessera_events) - $keep;
            """,
            p =>
            {
                p.AddWithValue("$older_than", olderThan.ToUnixMilliseconds());
                p.AddWithValue("$keep", keep);
            },
            cancellationToken);

    public Task PrepareAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
}
