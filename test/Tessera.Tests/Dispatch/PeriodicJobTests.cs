using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.Stores;
using Tessera.Stores.Memory;
using Tessera.Stores.Sqlite;
using Tessera.Testing;

namespace Tessera.Tests.Dispatch;

public sealed class PeriodicJobTests
{
    [Fact]
    public async Task AddPeriodicJob_RunsInItsOwnScope_WithAMethodContext()
    {
        var runs = new ConcurrentQueue<(string Name, string Transport, object Scoped)>();
        await using (var host = await TesseraTestHost.StartAsync(t =>
        {
            t.Services.AddScoped<ScopedThing>();
            t.AddPeriodicJob("cleanup.sweep", TimeSpan.FromMilliseconds(100), context =>
            {
                runs.Enqueue((context.MethodName, context.Transport, context.Services.GetRequiredService<ScopedThing>()));
                return Task.CompletedTask;
            });
        }))
        {
            await WaitUntilAsync(() => runs.Count >= 3);
        }

        var seen = runs.ToList();
        Assert.All(seen, run => Assert.Equal("cleanup.sweep", run.Name));
        Assert.All(seen, run => Assert.Equal(Transports.Periodic, run.Transport));
        Assert.Equal(seen.Count, seen.Select(run => run.Scoped).Distinct().Count());
    }

    [Fact]
    public async Task PeriodicAttribute_RunsTheMethodWithServices_AndConfigurationChangesThePeriod()
    {
        SweepMethods.Runs = 0;
        await using var host = await TesseraTestHost.StartAsync(
            t => t.Methods.AddType<SweepMethods>(),
            o => o.Configuration["Tessera:Periodic:sweep.sweep"] = "00:00:00.100");

        await WaitUntilAsync(() => SweepMethods.Runs >= 3);
        var answer = await host.Toto.CallAsync("sweep.sweep");
        Assert.Equal(1001, answer.ErrorCode); // a periodic job is not a method clients can call
    }

    [Fact]
    public async Task PeriodicJob_SwitchedOffByConfiguration_NeverRuns()
    {
        var runs = 0;
        await using var host = await TesseraTestHost.StartAsync(
            t => t.AddPeriodicJob("idle.job", TimeSpan.FromMilliseconds(100), _ => { Interlocked.Increment(ref runs); return Task.CompletedTask; }),
            o => o.Configuration["Tessera:Periodic:idle.job"] = "off");

        await Task.Delay(500);
        Assert.Equal(0, runs);
    }

    [Fact]
    public async Task RunLongerThanItsPeriod_IsNeverStartedTwice_AndShutdownCancelsIt()
    {
        var running = 0;
        var most = 0;
        var started = 0;
        var cancelled = new TaskCompletionSource();
        var host = await TesseraTestHost.StartAsync(t => t.AddPeriodicJob("slow.job", TimeSpan.FromMilliseconds(100), async context =>
        {
            Interlocked.Increment(ref started);
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            try
            {
                await Task.Delay(350, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }));

        await WaitUntilAsync(() => Volatile.Read(ref started) >= 3);
        await host.DisposeAsync();

        Assert.Equal(1, most);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task FailingRun_DoesNotStopTheJob_TheNextTickRunsAgain()
    {
        var runs = 0;
        await using var host = await TesseraTestHost.StartAsync(t => t.AddPeriodicJob("flaky.job", TimeSpan.FromMilliseconds(100), _ =>
        {
            Interlocked.Increment(ref runs);
            throw new InvalidOperationException("boom");
        }));

        await WaitUntilAsync(() => Volatile.Read(ref runs) >= 3);
    }

    [Fact]
    public async Task TwoJobsWithOneName_FailAtStartUp()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TesseraTestHost.StartAsync(t => t
            .AddPeriodicJob("same.name", TimeSpan.FromSeconds(1), _ => Task.CompletedTask)
            .AddPeriodicJob("same.name", TimeSpan.FromSeconds(1), _ => Task.CompletedTask)));
        Assert.Contains("same.name", failure.Message);
    }

    [Fact]
    public void NextTick_FallsOnMultiplesOfThePeriodSinceTheEpoch()
    {
        var (tick, due) = Tessera.Dispatch.Periodic.PeriodicJobRunner.NextTick(
            DateTimeOffset.UnixEpoch.AddSeconds(10.4), TimeSpan.FromSeconds(1));
        Assert.Equal(11, tick);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(11), due);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 10 s");
            await Task.Delay(20);
        }
    }

    public sealed class ScopedThing;

    public sealed class SweepMethods
    {
        public static int Runs;

        [Periodic("01:00:00")]
        public static void Sweep(MethodContext context) => Interlocked.Increment(ref Runs);
    }

}

/// <summary>The lease specification on the memory store.</summary>
public sealed class MemoryPeriodicJobStoreTests : PeriodicJobStoreSpecification
{
    protected override Task<IPeriodicJobStore> CreateStoreAsync() => Task.FromResult<IPeriodicJobStore>(new MemoryPeriodicJobStore(TimeProvider.System));
}

/// <summary>The lease specification on a real SQLite file in a temporary folder.</summary>
public sealed class SqlitePeriodicJobStoreTests : PeriodicJobStoreSpecification
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("tessera-jobs-");

    protected override Task<IPeriodicJobStore> CreateStoreAsync() =>
        Task.FromResult<IPeriodicJobStore>(new SqlitePeriodicJobStore(Stores.Sqlite.SqliteStoreTests.Database(_folder.FullName), TimeProvider.System));

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
