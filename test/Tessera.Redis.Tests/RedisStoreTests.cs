using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.Stores;
using Tessera.Stores.Memory;

namespace Tessera.Redis.Tests;

/// <summary>
/// The store specification against a real redis-server: sessions, nonces and events in Redis under a key prefix of
/// their own, accounts in memory (Redis never keeps accounts; the database backends' suites cover those).
/// </summary>
[NeedsServer("redis")]
public sealed class RedisStoreTests : StoreSpecification
{
    private RedisConnection? _redis;

    internal static async Task<RedisConnection> NewConnectionAsync(RedisServer? server = null, string? prefix = null)
    {
        server ??= await RedisServer.SharedAsync();
        return new RedisConnection(Options.Create(new StorageOptions
        {
            SessionStore = "redis",
            Redis = server.Configuration,
            RedisPrefix = prefix ?? RedisServer.NewPrefix(),
            StoreTimeout = 3,
        }));
    }

    protected override async Task<(IAccountStore, ISessionStore, INonceStore, IEventLog)> CreateStoresAsync()
    {
        _redis = await NewConnectionAsync();
        return (
            new MemoryAccountStore(),
            new RedisSessionStore(_redis, Time),
            new RedisNonceStore(_redis, Time),
            new RedisEventLog(_redis, Options.Create(new EventOptions()), NullLogger<RedisEventLog>.Instance));
    }

    public override Task DisposeAsync()
    {
        _redis?.Dispose();
        return Task.CompletedTask;
    }
}
