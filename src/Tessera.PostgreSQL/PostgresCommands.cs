using Npgsql;
using Tessera.Stores;

namespace Tessera.PostgreSQL;

/// <summary>
/// Runs one parameterized statement on a pooled connection; no SQL is ever built from values. A server that cannot
/// be reached or does not answer in time becomes a <see cref="StoreUnavailableException"/> (error 1013); see
/// <see cref="PostgresDatabase.RunAsync{T}"/> for what happens to the pool then.
/// </summary>
internal static class PostgresCommands
{
    public const string StoreName = "postgres";

    public static Task<int> ExecuteAsync(
        this PostgresDatabase database,
        string sql,
        Action<NpgsqlParameterCollection> bind,
        CancellationToken cancellationToken) =>
        database.RunAsync(
            async connection =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                bind(command.Parameters);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            retryOnce: false,
            cancellationToken);

    /// <summary>The first row, or null. Reads are retried once on a fresh connection; pass false for a write.</summary>
    public static async Task<T?> QuerySingleAsync<T>(
        this PostgresDatabase database,
        string sql,
        Action<NpgsqlParameterCollection> bind,
        Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken,
        bool isRead = true)
        where T : class
    {
        var rows = await database.QueryAsync(sql, bind, read, cancellationToken, limit: 1, isRead);
        return rows.Count == 0 ? null : rows[0];
    }

    public static Task<List<T>> QueryAsync<T>(
        this PostgresDatabase database,
        string sql,
        Action<NpgsqlParameterCollection> bind,
        Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken,
        int limit = int.MaxValue,
        bool isRead = true) =>
        database.RunAsync(
            async connection =>
            {
                await using var command = new NpgsqlCommand(sql, connection);
                bind(command.Parameters);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var rows = new List<T>();
                while (rows.Count < limit && await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(read(reader));
                }

                return rows;
            },
            retryOnce: isRead,
            cancellationToken);

    /// <summary>Runs <paramref name="work"/>, turning an unreachable or timed-out server into error 1013.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            throw new StoreUnavailableException(StoreName, exception);
        }
    }

    /// <summary>
    /// Network failures, timeouts and a server shutting down or starting up are unavailability; SQL errors are bugs
    /// and stay what they are.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.IsTransient || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException => true,
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        IOException => true,
        _ => false,
    };

    public static DateTimeOffset GetTime(this NpgsqlDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>PostgreSQL's timestamptz takes UTC only.</summary>
    public static DateTimeOffset Utc(this DateTimeOffset time) => time.ToUniversalTime();
}
