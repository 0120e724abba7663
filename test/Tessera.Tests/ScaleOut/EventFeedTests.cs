using System.Collections.Concurrent;

namespace Tessera.Tests.ScaleOut;

/// <summary>Events between two instances over PostgreSQL NOTIFY and Redis pub/sub, small and too large to notify.</summary>
public sealed class EventFeedTests
{
    [NeedsServerFact("postgres")]
    public async Task Postgres_SmallAndOversizedEvents_ReachTheOtherInstanceInOrder()
    {
        var connection = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        await AssertEventsCrossAsync(o =>
        {
            o.Configuration["Tessera:Storage:Database"] = "Postgres";
            o.Configuration["Tessera:Storage:DbConnection"] = connection;
        });
    }

    [NeedsServerFact("redis")]
    public async Task Redis_SmallAndLargeEvents_ReachTheOtherInstanceInOrder()
    {
        var redis = await RedisServer.SharedAsync();
        var prefix = RedisServer.NewPrefix();
        await AssertEventsCrossAsync(o =>
        {
            o.Configuration["Tessera:Storage:SessionStore"] = "Redis";
            o.Configuration["Tessera:Storage:Redis"] = redis.Configuration;
            o.Configuration["Tessera:Storage:RedisPrefix"] = prefix;
        });
    }

    private static async Task AssertEventsCrossAsync(Action<TesseraTestHostOptions> storage)
    {
        // A poll interval of a minute: whatever arrives within the test came through the notifications.
        Action<TesseraTestHostOptions> options = o =>
        {
            storage(o);
            o.Configuration["Tessera:Events:EventPollInterval"] = "60000";
        };
        await using var a = await TesseraTestHost.StartAsync(t => t.AddPostgreSql().AddRedis(), options);
        await using var b = await TesseraTestHost.StartAsync(t => t.AddPostgreSql().AddRedis(), options);
        var received = new ConcurrentQueue<EventMessage>();
        using var subscription = b.Services.GetRequiredService<IEventBus>().Subscribe("feed.*", m =>
        {
            received.Enqueue(m);
            return ValueTask.CompletedTask;
        });
        await Task.Delay(200);

        var large = new string('x', 20_000);
        var published = new List<EventMessage>();
        for (var i = 0; i < 6; i++)
        {
            var text = i % 2 == 0 ? $"small {i}" : large + i;
            published.Add(await a.Services.GetRequiredService<IEventBus>().PublishAsync($"feed.n{i}", new { text }));
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (received.Count < published.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(published.Select(e => e.Id), received.Select(e => e.Id));
        Assert.Equal(published.Select(e => e.Topic), received.Select(e => e.Topic));
        Assert.Equal(
            published.Select(e => e.Data.GetProperty("text").GetString()),
            received.Select(e => e.Data.GetProperty("text").GetString()));
    }
}
