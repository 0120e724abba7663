using System.Text.Json;
using MySqlConnector;
using Tessera.Stores;

namespace Tessera.MySql;

/// <summary>
/// The event log in MySQL. An append takes the next id from the one-row <c>tessera_event_sequence</c> in the same
/// transaction as its insert, holding that row's lock until commit: appends therefore commit in id order, and a reader
/// resuming after id N never misses a smaller id committed later. Other instances find new events by polling
/// (<c>event_poll_interval</c>), as with SQLite; MySQL has no LISTEN/NOTIFY.
/// </summary>
internal sealed class MySqlEventLog(MySqlDatabase database) : IEventLog, IStoreStartup
{
    public async Task<EventMessage> AppendAsync(string topic, string data, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        var id = await database.RunAsync(
            async connection =>
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var next = new MySqlCommand("UPDATE tessera_event_sequence SET last_id = LAST_INSERT_ID(last_id + 1)", connection, transaction))
                {
                    await next.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var insert = new MySqlCommand(
                    "INSERT INTO tessera_events (id, topic, data, published_at) VALUES (LAST_INSERT_ID(), @topic, @data, @published_at); SELECT LAST_INSERT_ID();",
                    connection,
                    transaction);
                insert.Parameters.AddWithValue("@topic", topic);
                insert.Parameters.AddWithValue("@data", data);
                insert.Parameters.AddWithValue("@published_at", publishedAt.Ms());
                var appended = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                return appended;
            },
            retryOnce: false,
            cancellationToken);
        using var document = JsonDocument.Parse(data);
        return new EventMessage(id, topic, document.RootElement.Clone(), publishedAt);
    }

    public async Task<IReadOnlyList<EventMessage>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken) =>
        await database.QueryAsync(
            "SELECT id, topic, data, published_at FROM tessera_events WHERE id > @after ORDER BY id LIMIT @limit",
            p =>
            {
                p.AddWithValue("@after", afterId);
                p.AddWithValue("@limit", limit);
            },
            reader =>
            {
                using var document = JsonDocument.Parse(reader.GetString(2));
                return new EventMessage(reader.GetInt64(0), reader.GetString(1), document.RootElement.Clone(), reader.GetTime(3));
            },
            cancellationToken);

    public async Task<long> LastIdAsync(CancellationToken cancellationToken) =>
        (long)(await database.QuerySingleAsync(
            "SELECT COALESCE(MAX(id), 0) FROM tessera_events",
            _ => { },
            reader => (object)reader.GetInt64(0),
            cancellationToken))!;

    public async Task<int> TrimAsync(int keep, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        // MySQL cannot read the table it deletes from in a subquery: the newest id is read first.
        var last = await LastIdAsync(cancellationToken);
        return await database.ExecuteAsync(
            "DELETE FROM tessera_events WHERE published_at < @older_than OR id <= @oldest_kept",
            p =>
            {
                p.AddWithValue("@older_than", olderThan.Ms());
                p.AddWithValue("@oldest_kept", last - keep);
            },
            cancellationToken);
    }

    public Task PrepareAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
}
