using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Tessera.Stores;

namespace Tessera.PostgreSQL;

/// <summary>
/// The event log in PostgreSQL. Appends go through <c>tessera_append_event</c>, which orders them and sends a NOTIFY
/// on <see cref="Channel"/>; <see cref="ListenAsync"/> keeps one connection listening and reconnects after failures.
/// </summary>
internal sealed class PostgresEventLog(PostgresDatabase database, ILogger<PostgresEventLog> logger)
    : IEventLog, IEventLogFeed, IStoreStartup
{
    public const string Channel = "tessera_events";
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    public async Task<EventMessage> AppendAsync(string topic, string data, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        var id = await database.QuerySingleAsync(
            "SELECT id FROM tessera_append_event(@topic, @data, @published_at);",
            p =>
            {
                p.AddWithValue("topic", topic);
                p.AddWithValue("data", NpgsqlDbType.Json, data);
                p.AddWithValue("published_at", publishedAt.Utc());
            },
            reader => (object)reader.GetInt64(0),
            cancellationToken,
            isRead: false);
        using var document = JsonDocument.Parse(data);
        return new EventMessage((long)id!, topic, document.RootElement.Clone(), publishedAt);
    }

    public async Task<IReadOnlyList<EventMessage>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken) =>
        await database.QueryAsync(
            "SELECT id, topic, data::text, published_at FROM tessera_events WHERE id > @after ORDER BY id LIMIT @limit;",
            p =>
            {
                p.AddWithValue("after", afterId);
                p.AddWithValue("limit", limit);
            },
            reader =>
            {
                using var document = JsonDocument.Parse(reader.GetString(2));
                return new EventMessage(reader.GetInt64(0), reader.GetString(1), document.RootElement.Clone(), reader.GetTime(3));
            },
            cancellationToken);

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
            WHERE published_at < @older_than OR id <= (SELECT COALESCE(MAX(id), 0) FROM tessera_events) - @keep;
            """,
            p =>
            {
                p.AddWithValue("older_than", olderThan.Utc());
                p.AddWithValue("keep", (long)keep);
            },
            cancellationToken);

    public async Task ListenAsync(Action<EventLogNotice> onNotice, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await database.MigrateAsync(cancellationToken);
                await using var connection = new NpgsqlConnection(database.ListenerConnectionString);
                await connection.OpenAsync(cancellationToken);
                connection.Notification += (_, e) => onNotice(PostgresEventNotice.Parse(e.Payload));
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                Log.Listening(logger);
                // Whatever was appended while nobody listened is in the log.
                onNotice(EventLogNotice.ReadTheLog);
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.ListenFailed(logger, exception);
                try
                {
                    await Task.Delay(ReconnectDelay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public Task PrepareAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
}
