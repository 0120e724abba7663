using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Tessera.Auth.Throttling;
using Tessera.Errors;

namespace Tessera.Auth.Accounts;

/// <summary>The outcome of checking a password against a stored hash.</summary>
internal readonly record struct PasswordCheck(bool Valid, bool NeedsRehash);

/// <summary>
/// PBKDF2-HMAC-SHA512 password hashes in a versioned string, <c>$pbkdf2-sha512$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>,
/// so the cost can rise later: a hash with fewer iterations than configured, or an imported Toto <c>$p5k2$</c> hash,
/// verifies and is marked for rehashing.
/// </summary>
/// <remarks>
/// At most <c>max_concurrent_hashes</c> run at once, shared fairly between client addresses (see <see cref="FairGate"/>):
/// a flood from one address does not make everyone else's login wait. One address may have
/// <c>max_queued_hashes_per_client</c> waiting; past that it is refused at once with 1014 and a <c>Retry-After</c> of
/// about the time its queue takes, instead of holding its connections for as long as the whole flood takes to hash. The
/// application's own calls (<see cref="ClientAddress.Application"/>) are never refused.
/// </remarks>
internal sealed class PasswordHasher
{
    private const string Prefix = "$pbkdf2-sha512$";
    private const int SaltBytes = 16;
    private const int HashBytes = 64;

    private readonly int _iterations;
    private readonly int _slots;
    private readonly int _maxQueued;
    private readonly FairGate _gate;
    private readonly Lazy<string> _decoy;
    private int _running;
    private int _peak;
    private long _derivations;
    private long _averageTicks; // of one derivation, a moving average: what a refused client is told to wait

    public PasswordHasher(IOptions<SecurityOptions> options)
    {
        _iterations = options.Value.PasswordIterations;
        _slots = options.Value.MaxConcurrentHashes;
        _maxQueued = options.Value.MaxQueuedHashesPerClient;
        _gate = new FairGate(_slots);
        // Checked against when a user id is unknown, so a miss costs what a wrong password costs.
        _decoy = new Lazy<string>(() => Hash("decoy password " + Guid.NewGuid()));
    }

    /// <summary>How many key derivations ran: lets tests see that a miss does the same work as a wrong password.</summary>
    public long Derivations => Interlocked.Read(ref _derivations);

    /// <summary>The most derivations that ever ran at once.</summary>
    public int PeakConcurrency => Volatile.Read(ref _peak);

    /// <summary>Hashes a new password; <paramref name="partition"/> is whose turn it takes (the client's address).</summary>
    public async Task<string> HashAsync(string password, string partition, CancellationToken cancellationToken)
    {
        await EnterAsync(partition, cancellationToken);
        try
        {
            return Hash(password);
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Checks <paramref name="password"/> against <paramref name="stored"/>, or against a decoy when null.</summary>
    public async Task<PasswordCheck> VerifyAsync(string password, string? stored, string partition, CancellationToken cancellationToken)
    {
        var decoy = stored is null ? _decoy.Value : null;
        await EnterAsync(partition, cancellationToken);
        try
        {
            var check = Derive(() => Verify(password, stored ?? decoy!));
            return stored is null ? default : check;
        }
        finally
        {
            Leave();
        }
    }

    private async Task EnterAsync(string partition, CancellationToken cancellationToken)
    {
        var maxWaiting = partition == ClientAddress.Application ? int.MaxValue : _maxQueued;
        if (!await _gate.TryEnterAsync(partition, maxWaiting, cancellationToken))
        {
            throw new TooManyRequestsException(QueueTime());
        }

        var running = Interlocked.Increment(ref _running);
        int peak;
        while (running > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, running, peak) != peak)
        {
        }
    }

    /// <summary>About how long a full queue of one client takes to hash: one more than it holds, over the slots.</summary>
    private TimeSpan QueueTime()
    {
        var average = Interlocked.Read(ref _averageTicks);
        return average == 0 ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(average * (_maxQueued + 1L) / _slots);
    }

    /// <summary>Runs one derivation, counting it and folding its time into the average.</summary>
    private T Derive<T>(Func<T> derive)
    {
        Interlocked.Increment(ref _derivations);
        var started = Stopwatch.GetTimestamp();
        var result = derive();
        var took = Stopwatch.GetElapsedTime(started).Ticks;
        var average = Interlocked.Read(ref _averageTicks);
        // A lost update between two derivations finishing together only skips one sample.
        Interlocked.Exchange(ref _averageTicks, average == 0 ? took : average + ((took - average) / 8));
        return result;
    }

    private void Leave()
    {
        Interlocked.Decrement(ref _running);
        _gate.Release();
    }

    private string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(() => Rfc2898DeriveBytes.Pbkdf2(password, salt, _iterations, HashAlgorithmName.SHA512, HashBytes));
        return $"{Prefix}{_iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    private PasswordCheck Verify(string password, string stored)
    {
        if (stored.StartsWith(TotoPasswordHash.Prefix, StringComparison.Ordinal))
        {
            return new PasswordCheck(TotoPasswordHash.Verify(password, stored), NeedsRehash: true);
        }

        var parts = stored.Split('$');
        // "", "pbkdf2-sha512", iterations, salt, hash
        if (parts.Length != 5 || !stored.StartsWith(Prefix, StringComparison.Ordinal)
            || !int.TryParse(parts[2], out var iterations) || iterations < 1)
        {
            return default;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[3]);
            expected = Convert.FromBase64String(parts[4]);
        }
        catch (FormatException)
        {
            return default;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return new PasswordCheck(CryptographicOperations.FixedTimeEquals(actual, expected), iterations < _iterations);
    }
}
