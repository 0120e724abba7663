using Tessera.Stores;

namespace Tessera.MySql;

/// <summary>Nonces in MySQL, so every instance refuses a replay seen by any other.</summary>
internal sealed class MySqlNonceStore(MySqlDatabase database, TimeProvider time) : INonceStore, IStoreStartup
{
    // Inserted (1 affected row), or an expired one replaced (2); an unexpired one is left alone (0): seen before.
    public async Task<bool> TryAddAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            """
            INSERT INTO tessera_nonces (nonce, expires_at) VALUES (@nonce, @expires_at)
            ON DUPLICATE KEY UPDATE expires_at = IF(expires_at <= @now, VALUES(expires_at), expires_at)
            """,
            p =>
            {
                p.AddWithValue("@nonce", nonce);
                p.AddWithValue("@expires_at", expiresAt.Ms());
                p.AddWithValue("@now", time.GetUtcNow().Ms());
            },
            cancellationToken) is 1 or 2;

    public async Task<bool> ContainsAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.QuerySingleAsync(
            "SELECT nonce FROM tessera_nonces WHERE nonce = @nonce AND expires_at > @now",
            p =>
            {
                p.AddWithValue("@nonce", nonce);
                p.AddWithValue("@now", now.Ms());
            },
            reader => reader.GetString(0),
            cancellationToken) is not null;

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "DELETE FROM tessera_nonces WHERE expires_at <= @now",
            p => p.AddWithValue("@now", now.Ms()),
            cancellationToken);

    public Task PrepareAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
}
