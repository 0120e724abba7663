using System.Collections.Concurrent;

namespace Tessera.Stores.Memory;

/// <summary>Sessions in process memory: for tests and throwaway services. Gone when the process ends.</summary>
internal sealed class MemorySessionStore : ISessionStore
{
    private readonly ConcurrentDictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);

    public Task CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        if (!_sessions.TryAdd(Key(session.IdHash), session))
        {
            throw new InvalidOperationException("A session with this id already exists.");
        }

        return Task.CompletedTask;
    }

    public Task<SessionRecord?> FindAsync(byte[] idHash, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.GetValueOrDefault(Key(idHash)));

    public Task<bool> TryUpdateStateAsync(byte[] idHash, long expectedVersion, string state, CancellationToken cancellationToken)
    {
        var key = Key(idHash);
        while (_sessions.TryGetValue(key, out var current))
        {
            if (current.Version != expectedVersion)
            {
                return Task.FromResult(false);
            }

            if (_sessions.TryUpdate(key, current with { State = state, Version = expectedVersion + 1 }, current))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

    public Task RenewAsync(byte[] idHash, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var key = Key(idHash);
        while (_sessions.TryGetValue(key, out var current)
            && !_sessions.TryUpdate(key, current with { ExpiresAt = expiresAt }, current))
        {
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(byte[] idHash, CancellationToken cancellationToken)
    {
        _sessions.TryRemove(Key(idHash), out _);
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
            if (predicate(session) && _sessions.TryRemove(new KeyValuePair<string, SessionRecord>(key, session)))
            {
                removed++;
            }
        }

        return removed;
    }

    private static string Key(byte[] idHash) => Convert.ToHexString(idHash);
}
