using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Tessera.Auth.Throttling;

/// <summary>
/// Slows password guessing. Failed sign-ins are counted per account and per client address: the first few are free,
/// then the next attempt must wait, twice as long after each further failure (1 s, 2 s, 4 s, ...) up to
/// <c>login_lock_seconds</c>, which is then a lock. While one is waiting, sign-ins are refused with 1014 and a
/// <c>Retry-After</c>, before any password is hashed, and even when the password is right. A success clears the
/// account's count (not the address's: signing into one's own account must not reset a guessing run); counts fade
/// after a lock period without failures. Counts are kept in this process: with N instances behind a balancer an
/// attacker gets at most N times the allowance.
/// </summary>
internal sealed class LoginThrottle(IOptions<SecurityOptions> options, TimeProvider time)
{
    private const int MaxTracked = 100_000;

    private readonly SecurityOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait before trying to sign in to <paramref name="userId"/>, or null.</summary>
    public TimeSpan? RetryAfter(string userId, string address)
    {
        var now = time.GetUtcNow();
        var wait = Max(Wait(AccountKey(userId), now), Wait(AddressKey(address), now));
        return wait > TimeSpan.Zero ? wait : null;
    }

    public void Failed(string userId, string address)
    {
        var now = time.GetUtcNow();
        if (_failures.Count >= MaxTracked)
        {
            Sweep(now);
        }

        Count(AccountKey(userId), _options.LoginFailuresPerAccount, now);
        Count(AddressKey(address), _options.LoginFailuresPerAddress, now);
    }

    public void Succeeded(string userId) => _failures.TryRemove(AccountKey(userId), out _);

    private void Count(string key, int free, DateTimeOffset now)
    {
        var lockFor = TimeSpan.FromSeconds(_options.LoginLockSeconds);
        _failures.AddOrUpdate(
            key,
            static (_, state) => Next(new Failures(0, state.now, state.now), state.free, state.lockFor, state.now),
            static (_, current, state) => Next(current.LastAt + state.lockFor <= state.now ? new Failures(0, state.now, state.now) : current, state.free, state.lockFor, state.now),
            (free, lockFor, now));
    }

    private static Failures Next(Failures current, int free, TimeSpan lockFor, DateTimeOffset now)
    {
        // The free-th failure already makes the next attempt wait a second; each one after doubles it.
        var count = current.Count + 1;
        var over = count - free;
        var wait = over < 0 ? TimeSpan.Zero
            : over >= 30 ? lockFor
            : TimeSpan.FromSeconds(Math.Min(lockFor.TotalSeconds, Math.Pow(2, over)));
        return new Failures(count, now, now + wait);
    }

    private TimeSpan Wait(string key, DateTimeOffset now) =>
        _failures.TryGetValue(key, out var failures) && failures.BlockedUntil > now ? failures.BlockedUntil - now : TimeSpan.Zero;

    private void Sweep(DateTimeOffset now)
    {
        var lockFor = TimeSpan.FromSeconds(_options.LoginLockSeconds);
        foreach (var (key, failures) in _failures)
        {
            if (failures.LastAt + lockFor <= now && failures.BlockedUntil <= now)
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string AccountKey(string userId) => "u:" + userId;

    private static string AddressKey(string address) => "a:" + address;

    private readonly record struct Failures(int Count, DateTimeOffset LastAt, DateTimeOffset BlockedUntil);
}
