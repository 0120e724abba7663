using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Tessera.Stores;

namespace Tessera.Redis;

/// <summary>
/// The one multiplexed connection to Redis that every store of the package shares. StackExchange.Redis reconnects and
/// re-subscribes by itself; every operation is bounded by <c>store_timeout</c> (the client's own connect and
/// command timeouts), and an unreachable or slow server
/// becomes a <see cref="StoreUnavailableException"/> (error 1013).
/// </summary>
internal sealed class RedisConnection : IStoreStartup, IStoreProbe, IDisposable
{
    public const string StoreName = "redis";

    private readonly ConfigurationOptions _configuration;
    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer;

    public RedisConnection(IOptions<StorageOptions> options)
    {
        var storage = options.Value;
        Timeout = TimeSpan.FromSeconds(storage.StoreTimeout);
        Keys = new RedisKeys(storage.RedisPrefix);
        _configuration = ConfigurationOptions.Parse(storage.Redis);
        // Start even if Redis is down, and keep trying: calls fail with 1013 meanwhile instead of the process dying.
        _configuration.AbortOnConnectFail = false;
        _configuration.ConnectTimeout = (int)Timeout.TotalMilliseconds;
        _configuration.SyncTimeout = (int)Timeout.TotalMilliseconds;
        // The client enforces store_timeout on every command itself, backlogged ones included (StackExchange.Redis 2+).
        _configuration.AsyncTimeout = (int)Timeout.TotalMilliseconds;
        _configuration.ConnectRetry = 1;
        _multiplexer = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(_configuration));
    }

    public TimeSpan Timeout { get; }

    public RedisKeys Keys { get; }

    /// <summary>The multiplexer, connected on first use (asynchronously: a blocking connect starves the thread pool).</summary>
    public Task<ConnectionMultiplexer> MultiplexerAsync() => _multiplexer.Value.WaitAsync(Timeout);

    /// <summary>Runs a Lua script atomically on the server.</summary>
    public Task<RedisResult> ScriptAsync(string script, RedisKey[] keys, RedisValue[] values) =>
        GuardAsync(database => database.ScriptEvaluateAsync(script, keys, values));

    /// <summary>Runs <paramref name="work"/> within <c>store_timeout</c>, turning failures to reach Redis into error 1013.</summary>
    public Task<T> GuardAsync<T>(Func<IDatabase, Task<T>> work) => GuardAsync(async () =>
    {
        var multiplexer = await _multiplexer.Value;
        return await work(multiplexer.GetDatabase());
    });

    /// <summary>
    /// Runs <paramref name="work"/>, turning failures to reach Redis (its own <c>store_timeout</c> included) into error
    /// 1013.
    /// </summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            throw new StoreUnavailableException(StoreName, exception);
        }
    }

    public static Task GuardAsync(Func<Task> work) => GuardAsync(async () =>
    {
        await work();
        return true;
    });

    /// <summary>Redis unreachable, slow, or still loading its data after a restart; command errors stay what they are.</summary>
    private static bool IsUnavailable(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>A PING within <c>store_timeout</c>.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) => GuardAsync(database => database.PingAsync());

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        try
        {
            await GuardAsync(database => database.PingAsync());
        }
        catch (StoreUnavailableException unavailable)
        {
            throw new InvalidOperationException(
                $"Redis at '{_configuration}' did not answer within {Timeout.TotalSeconds:0} s: check the redis option.",
                unavailable.Inner);
        }
    }

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
        {
            _multiplexer.Value.Result.Dispose();
        }
    }
}
