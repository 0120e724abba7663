using Tessera.Stores;

namespace Tessera.MySql;

/// <summary>Sessions in MySQL, keyed by the hash of their id; state writes are version-checked.</summary>
internal sealed class MySqlSessionStore(MySqlDatabase database) : ISessionStore, IStoreStartup
{
    public async Task CreateAsync(SessionRecord session, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            """
            INSERT INTO tessera_sessions
                (id_hash, user_id, created_at, expires_at, absolute_expires_at, signing_key, state, version)
            VALUES (@id_hash, @user_id, @created_at, @expires_at, @absolute_expires_at, @signing_key, @state, @version)
            """,
            p =>
            {
                p.AddWithValue("@id_hash", session.IdHash);
                p.AddWithValue("@user_id", (object?)session.UserId ?? DBNull.Value);
                p.AddWithValue("@created_at", session.CreatedAt.Ms());
                p.AddWithValue("@expires_at", session.ExpiresAt.Ms());
                p.AddWithValue("@absolute_expires_at", session.AbsoluteExpiresAt.Ms());
                p.AddWithValue("@signing_key", (object?)session.SigningKey ?? DBNull.Value);
                p.AddWithValue("@state", session.State);
                p.AddWithValue("@version", session.Version);
            },
            cancellationToken);

    public Task<SessionRecord?> FindAsync(byte[] idHash, CancellationToken cancellationToken) =>
        database.QuerySingleAsync(
            """
            SELECT id_hash, user_id, created_at, expires_at, absolute_expires_at, signing_key, state, version
            FROM tessera_sessions WHERE id_hash = @id_hash
            """,
            p => p.AddWithValue("@id_hash", idHash),
            reader => new SessionRecord
            {
                IdHash = (byte[])reader.GetValue(0),
                UserId = reader.IsDBNull(1) ? null : reader.GetString(1),
                CreatedAt = reader.GetTime(2),
                ExpiresAt = reader.GetTime(3),
                AbsoluteExpiresAt = reader.GetTime(4),
                SigningKey = reader.IsDBNull(5) ? null : reader.GetString(5),
                State = reader.GetString(6),
                Version = reader.GetInt64(7),
            },
            cancellationToken);

    public async Task<bool> TryUpdateStateAsync(byte[] idHash, long expectedVersion, string state, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE tessera_sessions SET state = @state, version = version + 1 WHERE id_hash = @id_hash AND version = @version",
            p =>
            {
                p.AddWithValue("@id_hash", idHash);
                p.AddWithValue("@version", expectedVersion);
                p.AddWithValue("@state", state);
            },
            cancellationToken) == 1;

    public async Task RenewAsync(byte[] idHash, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE tessera_sessions SET expires_at = @expires_at WHERE id_hash = @id_hash",
            p =>
            {
                p.AddWithValue("@id_hash", idHash);
                p.AddWithValue("@expires_at", expiresAt.Ms());
            },
            cancellationToken);

    public async Task DeleteAsync(byte[] idHash, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "DELETE FROM tessera_sessions WHERE id_hash = @id_hash",
            p => p.AddWithValue("@id_hash", idHash),
            cancellationToken);

    public Task<int> DeleteByUserAsync(string userId, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "DELETE FROM tessera_sessions WHERE user_id = @user_id",
            p => p.AddWithValue("@user_id", userId),
            cancellationToken);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "DELETE FROM tessera_sessions WHERE expires_at <= @now OR absolute_expires_at <= @now",
            p => p.AddWithValue("@now", now.Ms()),
            cancellationToken);

    public Task PrepareAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
}
