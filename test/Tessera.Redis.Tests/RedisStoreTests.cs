using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.Redis;
using Tessera.Stores;
using Tessera.Stores.Sqlite;
using Tessera.Tests.Stores.Sqlite;

namespace Tessera.Tests.Stores.Redis;

/// <summary>
/// The store specification against a real redis-server: sessions, nonces and events in Redis under a key prefix of
/// their own, accounts in SQLite (Redis never keeps accounts).
/// </summary>
[NeedsServer("redis")]
public sealed class RedisStoreTests : StoreSpecification
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tessera-sqlite-");
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
        var accounts = SqliteStoreTests.Database(_directory.FullName);
        await accounts.MigrateAsync(default);
        return (
            new SqliteAccountStore(accounts),
            new RedisSessionStore(_redis, Time),
            new RedisNonceStore(_redis, Time),
            new RedisEventLog(_redis, Options.Create(new EventOptions()), NullLogger<RedisEventLog>.Instance));
    }

    public override Task DisposeAsync()
    {
        _redis?.Dispose();
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
