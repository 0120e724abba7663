using System.Collections.Concurrent;
using System.Diagnostics;
using Tessera.Stores;

namespace Tessera.Tests.ScaleOut;

/// <summary>
/// A PostgreSQL or Redis restart under two instances: calls fail with 1013 during the outage (quickly, and never as
/// if authorized), work again afterwards with the data intact, and events published around the restart reach the
/// other instance exactly once, in order.
/// </summary>
public sealed class StoreRestartTests
{
    private const string Topic = "news.item";

    [NeedsServerFact("postgres")]
    public async Task PostgresRestart_IsSurvivedByBothInstances()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connection = await postgres.CreateDatabaseAsync();
        await RunRestartScenarioAsync(
            o =>
            {
                o.Configuration["Tessera:Storage:Database"] = "Postgres";
                o.Configuration["Tessera:Storage:DbConnection"] = connection;
            },
            postgres.StopAsync,
            postgres.StartAgainAsync);
    }

    [NeedsServerFact("redis")]
    public async Task RedisRestart_IsSurvivedByBothInstances()
    {
        var directory = Directory.CreateTempSubdirectory("tessera-accounts-");
        await using var redis = await RedisServer.StartAsync(persistent: true);
        try
        {
            await RunRestartScenarioAsync(
                o =>
                {
                    o.Configuration["Tessera:Storage:Database"] = "Sqlite";
                    o.Configuration["Tessera:Storage:DbConnection"] = $"Data Source={Path.Combine(directory.FullName, "accounts.db")}";
                    o.Configuration["Tessera:Storage:SessionStore"] = "Redis";
                    o.Configuration["Tessera:Storage:Redis"] = redis.Configuration;
                },
                redis.StopAsync,
                redis.StartAgainAsync);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task RunRestartScenarioAsync(Action<TesseraTestHostOptions> storage, Func<Task> stop, Func<Task> start)
    {
        Action<TesseraTestHostOptions> options = o =>
        {
            storage(o);
            o.Configuration["Tessera:Storage:StoreTimeout"] = "2";
            o.Timeout = TimeSpan.FromSeconds(30);
        };
        await using var a = await AuthHosts.StartAsync(options, database: "Postgres", configure: t => t.AddPostgreSql().AddRedis());
        await using var b = await AuthHosts.StartAsync(options, database: "Postgres", configure: t => t.AddPostgreSql().AddRedis());
        var received = new ConcurrentQueue<long>();
        using var subscription = b.Services.GetRequiredService<IEventBus>().Subscribe(Topic, m =>
        {
            received.Enqueue(m.Data.GetInt64());
            return ValueTask.CompletedTask;
        });
        var bus = a.Services.GetRequiredService<IEventBus>();
        await a.Toto.CreateAccountAsync("ada", AuthHosts.Password);
        Assert.Null((await a.Toto.CallAsync("secure.put", new { key = "k", value = 1 })).ErrorCode);
        await bus.PublishAsync(Topic, 1L);

        await stop();
        var clock = Stopwatch.StartNew();
        var during = await a.Toto.CallAsync("secure.who_am_i");
        Assert.Equal(ErrorCodes.StoreUnavailable, during.ErrorCode);
        Assert.Equal(StoreUnavailableException.ClientMessage, during.ErrorValue.GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a call during the outage took {clock.ElapsedMilliseconds} ms");
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await bus.PublishAsync(Topic, -1L));

        await start();
        // Publish as soon as the store takes writes: B's listener may not be back yet, so these come from the log.
        var next = 2L;
        clock.Restart();
        while (next <= 20 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                await bus.PublishAsync(Topic, next);
                next++;
            }
            catch (StoreUnavailableException)
            {
                await Task.Delay(50);
            }
        }

        var after = await UntilAvailableAsync(a.Toto, "secure.read", new { key = "k" });
        Assert.Equal(1, after.Result.GetInt32());
        var onB = b.Toto.Fresh();
        onB.SessionId = a.Toto.SessionId;
        Assert.Equal("ada", (await UntilAvailableAsync(onB, "secure.who_am_i")).Result.GetString());

        clock.Restart();
        while (received.Count < 20 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), received);
    }

    /// <summary>
    /// Calls until the instance has its connection back (StackExchange.Redis notices within its heartbeat); every
    /// answer meanwhile must be 1013, never another error and never a result given without the session.
    /// </summary>
    private static async Task<TotoResponse> UntilAvailableAsync(TotoTestClient client, string method, object? parameters = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await client.CallAsync(method, parameters);
            if (answer.ErrorCode != ErrorCodes.StoreUnavailable || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.True(answer.ErrorCode is null, answer.Body);
                return answer;
            }

            await Task.Delay(100);
        }
    }
}
