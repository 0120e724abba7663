using MySqlConnector;
using Tessera.Stores;

namespace Tessera.MySql;

/// <summary>
/// Runs one parameterized statement on a pooled connection; no SQL is ever built from values. A server that cannot be
/// reached or does not answer in time becomes a <see cref="StoreUnavailableException"/> (error 1013). Times are stored
/// as Unix milliseconds (BIGINT), which MySQL and MariaDB keep exactly and without time zones.
/// </summary>
internal static class MySqlCommands
{
    public const string StoreName = "mysql";

    public static Task<int> ExecuteAsync(
        this MySqlDatabase database,
        string sql,
        Action<MySqlParameterCollection> bind,
        CancellationToken cancellationToken) =>
        database.RunAsync(
            async connection =>
            {
                await using var command = new MySqlCommand(sql, connection);
                bind(command.Parameters);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            retryOnce: false,
            cancellationToken);

    /// <summary>The first row, or null. Reads are retried once on a fresh connection; pass false for a write.</summary>
    public static async Task<T?> QuerySingleAsync<T>(
        this MySqlDatabase database,
        string sql,
        Action<MySqlParameterCollection> bind,
        Func<MySqlDataReader, T> read,
        CancellationToken cancellationToken)
        where T : class
    {
        var rows = await database.QueryAsync(sql, bind, read, cancellationToken, limit: 1);
        return rows.Count == 0 ? null : rows[0];
    }

    public static Task<List<T>> QueryAsync<T>(
        this MySqlDatabase database,
        string sql,
        Action<MySqlParameterCollection> bind,
        Func<MySqlDataReader, T> read,
        CancellationToken cancellationToken,
        int limit = int.MaxValue) =>
        database.RunAsync(
            async connection =>
            {
                await using var command = new MySqlCommand(sql, connection);
                bind(command.Parameters);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var rows = new List<T>();
                while (rows.Count < limit && await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(read(reader));
                }

                return rows;
            },
            retryOnce: true,
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

    /// <summary>Network failures, timeouts and a server shutting down are unavailability; SQL errors stay what they are.</summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        MySqlException mySql => mySql.IsTransient || mySql.ErrorCode is MySqlErrorCode.UnableToConnectToHost
            or MySqlErrorCode.CommandTimeoutExpired or MySqlErrorCode.ServerShutdown or MySqlErrorCode.ConnectionCountError
            or MySqlErrorCode.QueryInterrupted || mySql.InnerException is System.Net.Sockets.SocketException or IOException,
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        IOException => true,
        InvalidOperationException when exception.Message.Contains("connection", StringComparison.OrdinalIgnoreCase) => true,
        _ => false,
    };

    public static long Ms(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset GetTime(this MySqlDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
