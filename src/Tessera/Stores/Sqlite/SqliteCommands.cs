using Microsoft.Data.Sqlite;

namespace Tessera.Stores.Sqlite;

/// <summary>
/// Runs one parameterized statement on a pooled connection. No SQL is ever built from values. Statements that write
/// (<see cref="ExecuteAsync"/>, <see cref="WriteSingleAsync"/>) take the database's write turn; reads never wait for one.
/// </summary>
internal static class SqliteCommands
{
    public static async Task<int> ExecuteAsync(
        this SqliteDatabase database,
        string sql,
        Action<SqliteParameterCollection> bind,
        CancellationToken cancellationToken)
    {
        using var turn = await database.WriteTurnAsync(cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command.Parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<T?> QuerySingleAsync<T>(
        this SqliteDatabase database,
        string sql,
        Action<SqliteParameterCollection> bind,
        Func<SqliteDataReader, T> read,
        CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    /// <summary>A statement that writes and answers one row (<c>INSERT ... RETURNING</c>), in the write turn.</summary>
    public static async Task<T?> WriteSingleAsync<T>(
        this SqliteDatabase database,
        string sql,
        Action<SqliteParameterCollection> bind,
        Func<SqliteDataReader, T> read,
        CancellationToken cancellationToken)
        where T : class
    {
        using var turn = await database.WriteTurnAsync(cancellationToken);
        return await database.QuerySingleAsync(sql, bind, read, cancellationToken);
    }

    public static long ToUnixMilliseconds(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset GetTime(this SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}
