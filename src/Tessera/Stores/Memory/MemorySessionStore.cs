using System.Collections.Concurrent;

namespace Tessera.Stores.Memory;

/// <summary>Sessions in process memory: for tests and throwaway services. Gone when the process ends.</summary>
internal sealed class MemorySessionStore : ISessionStore
{
    // Keyed by the hash's bytes: a hex string of them cost two 152-byte strings on every authenticated call.
    private readonly ConcurrentDictionary<byte[], SessionRecord> _sessions = new(IdHashComparer.Instance);

    public Task CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        if (!_sessions.TryAdd(session.IdHash, session))
        {
            throw new InvalidOperationException("A session with this id already exists.");
        }

        return Task.CompletedTask;
    }

    public Task<SessionRecord?> FindAsync(byte[] idHash, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.GetValueOrDefault(idHash));

    public Task<bool> TryUpdateStateAsync(byte[] idHash, long expectedVersion, string state, CancellationToken cancellationToken)
    {
        while (_sessions.TryGetValue(idHash, out var current))
        {
            if (current.Version != expectedVersion)
            {
                return Task.FromResult(false);
            }

            if (_sessions.TryUpdate(idHash, current with { State = state, Version = expectedVersion + 1 }, current))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

    public Task RenewAsync(byte[] idHash, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        while (_sessions.TryGetValue(idHash, out var current)
            && !_sessions.TryUpdate(idHash, current with { ExpiresAt = expiresAt }, current))
        {
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(byte[] idHash, CancellationToken cancellationToken)
    {
        _sessions.TryRemove(idHash, out _);
        return Task.CompletedTask;
    }

    public Task<int> DeleteByUserAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(RemoveWhere(s => s.UserId == userId));

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(RemoveWhere(s => s.ExpiresAt <= now || s.AbsoluteExpiresAt <= now));

    private int RemoveWhere(Func<SessionRecord, bool> predicate)
    {
        var removed = 0;
        foreach (var (key, session) in _sessions)
        {
            if (predicate(session) && _sessions.TryRemove(new KeyValuePair<byte[], SessionRecord>(key, session)))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// Compares hashes by content. The hash code is the hash's first bytes: a SHA-256 of a server-issued id, which no
    /// client can steer into one bucket.
    /// </summary>
    private sealed class IdHashComparer : IEqualityComparer<byte[]>
    {
        public static readonly IdHashComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length >= sizeof(int) ? BitConverter.ToInt32(obj) : obj.Length;
    }
}
