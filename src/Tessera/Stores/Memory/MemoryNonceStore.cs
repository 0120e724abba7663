using System.Collections.Concurrent;

namespace Tessera.Stores.Memory;

/// <summary>Nonces in process memory: replay protection for a single instance.</summary>
internal sealed class MemoryNonceStore(TimeProvider time) : INonceStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nonces = new(StringComparer.Ordinal);

    public Task<bool> TryAddAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_nonces.TryAdd(nonce, expiresAt))
            {
                return Task.FromResult(true);
            }

            // An expired entry no longer guards anything: replace it, unless someone else just did.
            if (!_nonces.TryGetValue(nonce, out var existing) || existing > time.GetUtcNow())
            {
                return Task.FromResult(false);
            }

            if (_nonces.TryUpdate(nonce, expiresAt, existing))
            {
                return Task.FromResult(true);
            }
        }
    }

    public Task<bool> ContainsAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(_nonces.TryGetValue(nonce, out var expiresAt) && expiresAt > now);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var (nonce, expiresAt) in _nonces)
        {
            if (expiresAt <= now && _nonces.TryRemove(new KeyValuePair<string, DateTimeOffset>(nonce, expiresAt)))
            {
                removed++;
            }
        }

        return Task.FromResult(removed);
    }
}
