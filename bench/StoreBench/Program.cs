// Measures each session backend the same way, two Tessera instances (in one process, each with its own stores,
// connections and event bus) sharing one store:
//   - session lookups per second: ISessionStore.FindAsync of existing sessions by 8 concurrent callers;
//   - session state writes per second: ISessionStore.TryUpdateStateAsync by 32 concurrent writers, two sessions each
//     (what 32 connections of signed-in users cost the store; the load harness runs in memory);
//   - event publish throughput: 4 publishers on instance A appending as fast as the log takes them;
//   - event fan-out latency: publish on instance A until a subscriber on instance B has the event, one at a time.
// Usage: StoreBench [--postgres=CONNECTION] [--redis=HOST:PORT] [--mysql=CONNECTION] [--nats=URL] [--seconds=5] [--events=300]
// SQLite is always measured; every other backend when its server is given (bench/stores/run.sh starts them all).
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Tessera;
using Tessera.Stores;
using Tessera.Testing;

var options = args.Select(a => a.TrimStart('-').Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
var seconds = int.Parse(options.GetValueOrDefault("seconds", "5"));
var eventCount = int.Parse(options.GetValueOrDefault("events", "300"));
var sqliteFile = Path.Combine(Path.GetTempPath(), $"storebench-{Guid.NewGuid():N}.db");

// Each backend with the option naming its server (null: none needed).
var backends = new (string Name, string? Server, Dictionary<string, string?> Config)[]
{
    ("SQLite (one file)", null, new() { ["Tessera:Storage:Database"] = "Sqlite", ["Tessera:Storage:DbConnection"] = $"Data Source={sqliteFile}" }),
    ("PostgreSQL", "postgres", new() { ["Tessera:Storage:Database"] = "Postgres", ["Tessera:Storage:DbConnection"] = options.GetValueOrDefault("postgres") }),
    ("MySQL (MariaDB)", "mysql", new() { ["Tessera:Storage:Database"] = "mysql", ["Tessera:Storage:DbConnection"] = options.GetValueOrDefault("mysql") }),
    ("Redis (sessions, events)", "redis", new()
    {
        ["Tessera:Storage:Database"] = "Sqlite", ["Tessera:Storage:DbConnection"] = $"Data Source={sqliteFile}",
        ["Tessera:Storage:SessionStore"] = "Redis", ["Tessera:Storage:Redis"] = options.GetValueOrDefault("redis"),
    }),
    ("NATS JetStream (events; sessions in SQLite)", "nats", new()
    {
        ["Tessera:Storage:Database"] = "Sqlite", ["Tessera:Storage:DbConnection"] = $"Data Source={sqliteFile}",
        ["Tessera:Storage:Events"] = "nats", ["Tessera:Storage:Nats"] = options.GetValueOrDefault("nats"), ["Tessera:Storage:NatsStream"] = "bench",
    }),
};

Console.WriteLine("| backend | session lookups/s (8 callers) | session writes/s (32 writers) | events published/s (4 publishers) | fan-out p50 ms | p90 ms | p99 ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (name, _, config) in backends.Where(b => b.Server is null || options.ContainsKey(b.Server)))
{
    await using var a = await StartAsync(config);
    await using var b = await StartAsync(config);
    var lookups = await MeasureLookupsAsync(a.Services.GetRequiredService<ISessionStore>(), TimeSpan.FromSeconds(seconds));
    var writes = await MeasureWritesAsync(a.Services.GetRequiredService<ISessionStore>(), TimeSpan.FromSeconds(seconds));
    var published = await MeasurePublishingAsync(a.Services.GetRequiredService<IEventBus>(), TimeSpan.FromSeconds(seconds));
    var latencies = await MeasureFanOutAsync(a.Services.GetRequiredService<IEventBus>(), b.Services.GetRequiredService<IEventBus>(), eventCount);
    Console.WriteLine($"| {name} | {lookups:N0} | {writes:N0} | {published:N0} | {Percentile(latencies, 0.50):0.00} | {Percentile(latencies, 0.90):0.00} | {Percentile(latencies, 0.99):0.00} | {latencies[^1]:0.00} |");
}

foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(sqliteFile) + "*"))
{
    File.Delete(file);
}

static Task<TesseraTestHost> StartAsync(Dictionary<string, string?> config) => TesseraTestHost.StartAsync(
    t => t.AddAccounts().AddPostgreSql().AddMySql().AddRedis().AddNats(),
    o =>
    {
        foreach (var (key, value) in config)
        {
            o.Configuration[key] = value;
        }

        o.Timeout = TimeSpan.FromSeconds(60);
    });

static async Task<double> MeasureLookupsAsync(ISessionStore store, TimeSpan duration)
{
    var now = DateTimeOffset.UtcNow;
    var ids = new List<byte[]>();
    for (var i = 0; i < 1000; i++)
    {
        var id = RandomNumberGenerator.GetBytes(32);
        ids.Add(id);
        await store.CreateAsync(new SessionRecord
        {
            IdHash = id, UserId = "user" + i, CreatedAt = now, ExpiresAt = now.AddHours(1), AbsoluteExpiresAt = now.AddDays(1),
            State = """{"count":1}""",
        }, default);
    }

    return await StepsPerSecondAsync(8, duration, worker => Task.FromResult<Func<long, Task>>(async step =>
    {
        if (await store.FindAsync(ids[(int)((worker + step) % ids.Count)], default) is null)
        {
            throw new InvalidOperationException("a session that was created is missing");
        }
    }));
}

static async Task<double> MeasureWritesAsync(ISessionStore store, TimeSpan duration)
{
    const int Writers = 32;
    var now = DateTimeOffset.UtcNow;
    var sessions = new List<byte[]>();
    for (var i = 0; i < Writers * 2; i++)
    {
        var id = RandomNumberGenerator.GetBytes(32);
        sessions.Add(id);
        await store.CreateAsync(new SessionRecord
        {
            IdHash = id, UserId = "writer" + i, CreatedAt = now, ExpiresAt = now.AddHours(1), AbsoluteExpiresAt = now.AddDays(1),
        }, default);
    }

    // Each writer alternates between its own two sessions, so every write carries the version it expects.
    return await StepsPerSecondAsync(Writers, duration, async worker =>
    {
        byte[][] own = [sessions[worker * 2], sessions[worker * 2 + 1]];
        var versions = new long[2];
        for (var k = 0; k < 2; k++)
        {
            versions[k] = (await store.FindAsync(own[k], default))!.Version;
        }

        return async step =>
        {
            var k = (int)(step % 2);
            if (!await store.TryUpdateStateAsync(own[k], versions[k], $$"""{"count":{{step}}}""", default))
            {
                throw new InvalidOperationException("a write with the current version was refused");
            }

            versions[k]++;
        };
    });
}

// Runs one loop per worker side by side, a second to warm up connections and caches and then for the duration, and
// answers the steps taken per second. A worker is set up once per run and answers its step.
static async Task<double> StepsPerSecondAsync(int workers, TimeSpan duration, Func<int, Task<Func<long, Task>>> worker)
{
    await RunAsync(TimeSpan.FromSeconds(1));
    var clock = Stopwatch.StartNew();
    var steps = await RunAsync(duration);
    return steps / clock.Elapsed.TotalSeconds;

    async Task<long> RunAsync(TimeSpan length)
    {
        var until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, workers).Select(index => Task.Run(async () =>
        {
            var step = await worker(index);
            long count = 0;
            while (Stopwatch.GetTimestamp() < until)
            {
                await step(count);
                count++;
            }

            return count;
        }));
        return (await Task.WhenAll(loops)).Sum();
    }
}

static async Task<double> MeasurePublishingAsync(IEventBus bus, TimeSpan duration)
{
    var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var clock = Stopwatch.StartNew();
    var publishers = Enumerable.Range(0, 4).Select(publisher => Task.Run(async () =>
    {
        long count = 0;
        while (Stopwatch.GetTimestamp() < until)
        {
            await bus.PublishAsync("bench.publish", new { publisher, count });
            count++;
        }

        return count;
    }));
    var total = (await Task.WhenAll(publishers)).Sum();
    return total / clock.Elapsed.TotalSeconds;
}

static async Task<double[]> MeasureFanOutAsync(IEventBus publisher, IEventBus subscriberBus, int count)
{
    var latencies = new List<double>();
    TaskCompletionSource<long>? arrived = null;
    using var subscription = subscriberBus.Subscribe("bench.fanout", message =>
    {
        arrived?.TrySetResult(message.Data.GetInt64());
        return ValueTask.CompletedTask;
    });

    for (var i = -20; i < count; i++)
    {
        arrived = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Stopwatch.GetTimestamp();
        await publisher.PublishAsync("bench.fanout", (long)i);
        var value = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        if (value != i)
        {
            throw new InvalidOperationException($"expected event {i}, got {value}");
        }

        if (i >= 0)
        {
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        // A random pause as long as SQLite's poll interval (250 ms), so publications land anywhere in the poll cycle
        // instead of right after the read that delivered the previous one.
        await Task.Delay(Random.Shared.Next(0, 250));
    }

    latencies.Sort();
    return [.. latencies];
}

static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
