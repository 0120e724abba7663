namespace Tessera.Stores;

/// <summary>
/// Single-use values (request nonces, revoked stateless sessions), kept until they expire so instances sharing a
/// store refuse a replay together.
/// </summary>
public interface INonceStore
{
    /// <summary>Records the nonce; false when it was already recorded and has not expired.</summary>
    Task<bool> TryAddAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Whether the nonce is recorded and not expired at <paramref name="now"/>.</summary>
    Task<bool> ContainsAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets nonces expired at <paramref name="now"/>; answers how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
