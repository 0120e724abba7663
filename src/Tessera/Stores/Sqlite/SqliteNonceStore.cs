namespace Tessera.Stores.Sqlite;

/// <summary>Nonces in the SQLite file, so processes sharing it refuse a replay together.</summary>
internal sealed class SqliteNonceStore(SqliteDatabase database, TimeProvider time) : INonceStore, IStoreStartup
{
    public async Task<bool> TryAddAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            """
            INSERT INTO tessera_nonces (nonce, expires_at) VALUES ($nonce, $expires_at)
            ON CONFLICT (nonce) DO UPDATE SET expires_at = excluded.expires_at
            WHERE tessera_nonces.expires_at <= $now;
            """,
            p =>
            {
                p.AddWithValue("$nonce", nonce);
                p.AddWithValue("$expires_at", expiresAt.ToUnixMilliseconds());
                p.AddWithValue("$now", time.GetUtcNow().ToUnixMilliseconds());
            },
            cancellationToken) == 1;

    public async Task<bool> ContainsAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.QuerySingleAsync(
            "SELECT nonce FROM tessera_nonces WHERE nonce = $nonce AND expires_at > $now;",
            p =>
            {
                p.AddWithValue("$nonce", nonce);
                p.AddWithValue("$now", now.ToUnixMilliseconds());
            },
            reader => reader.GetString(0),
            cancellationToken) is not null;

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "DELETE FROM tessera_nonces WHERE expires_at <= $now;",
            p => p.AddWithValue("$now", now.ToUnixMilliseconds()),
            cancellationToken);

    public Task PrepareAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
}
