namespace Tessera.Stores;

/// <summary>Where sessions live, keyed by the SHA-256 hash of their id.</summary>
public interface ISessionStore
{
    /// <summary>Adds a new session.</summary>
    Task CreateAsync(SessionRecord session, CancellationToken cancellationToken);

    /// <summary>The session with this id hash, expired or not, or null.</summary>
    Task<SessionRecord?> FindAsync(byte[] idHash, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the state if the stored version is still <paramref name="expectedVersion"/>, making it one higher.
    /// False when another writer got there first (or the session is gone): nothing is written then.
    /// </summary>
    Task<bool> TryUpdateStateAsync(byte[] idHash, long expectedVersion, string state, CancellationToken cancellationToken);

    /// <summary>Moves the expiry of a session (sliding renewal).</summary>
    Task RenewAsync(byte[] idHash, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Ends one session.</summary>
    Task DeleteAsync(byte[] idHash, CancellationToken cancellationToken);

    /// <summary>Ends every session of a user; answers how many there were.</summary>
    Task<int> DeleteByUserAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Removes sessions expired at <paramref name="now"/>; answers how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
