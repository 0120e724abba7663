using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Auth;
using Tessera.Observability;
using Tessera.Stores;

namespace Tessera.Dispatch.Periodic;

/// <summary>
/// Runs every periodic job on its own loop. Ticks fall on multiples of the period since the Unix epoch, so instances
/// agree on them without talking to each other; at each tick every instance tries to claim it in the store
/// (<see cref="IPeriodicJobStore"/>) and the one that succeeds runs the job, renewing its lease meanwhile. A tick that
/// comes while a run is still going is skipped, here and on every other instance; shutdown cancels a run in progress.
/// </summary>
internal sealed class PeriodicJobRunner(
    IReadOnlyList<PeriodicJob> jobs,
    IServiceProvider services,
    TimeProvider time,
    TesseraTelemetry telemetry,
    ILogger<PeriodicJobRunner> logger) : BackgroundService
{
    /// <summary>How long a claim holds without renewal: a holder that died hands the job over after this.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RenewEvery = Lease / 3;

    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (jobs.Count == 0)
        {
            return Task.CompletedTask;
        }

        var store = services.GetRequiredService<IPeriodicJobStore>();
        foreach (var job in jobs)
        {
            Log.PeriodicJobScheduled(logger, job.Name, job.Period);
        }

        return Task.WhenAll(jobs.Select(job => Task.Run(() => LoopAsync(job, store, stoppingToken), CancellationToken.None)));
    }

    /// <summary>The tick after <paramref name="now"/> and when it falls.</summary>
    public static (long Tick, DateTimeOffset Due) NextTick(DateTimeOffset now, TimeSpan period)
    {
        var tick = (now - DateTimeOffset.UnixEpoch).Ticks / period.Ticks + 1;
        return (tick, DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(tick * period.Ticks));
    }

    private async Task LoopAsync(PeriodicJob job, IPeriodicJobStore store, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var (tick, due) = NextTick(now, job.Period);
            try
            {
                // Timers may fire a little early: wait until the tick is really due, so it is never run twice by one loop.
                for (var wait = due - now; wait > TimeSpan.Zero; wait = due - time.GetUtcNow())
                {
                    await Task.Delay(wait, time, stopping);
                }

                if (await store.TryClaimAsync(job.Name, tick, _holder, Lease, stopping))
                {
                    await RunAsync(job, tick, store, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The store did not answer: this tick is lost here; another instance may have run it, and the next one is tried.
                Log.PeriodicClaimFailed(logger, job.Name, exception);
            }
        }
    }

    private async Task RunAsync(PeriodicJob job, long tick, IPeriodicJobStore store, CancellationToken stopping)
    {
        await using var scope = services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var context = new MethodContext(job.Name, new Caller(http, Transports.Periodic), scope.ServiceProvider, TransactionIds.Shared.Next(), stopping);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var renewal = RenewAsync(job, tick, store, renewing.Token);
        var started = time.GetTimestamp();
        var outcome = "ok";
        try
        {
            await job.Run(context);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            outcome = "cancelled";
        }
        catch (Exception exception)
        {
            outcome = "error";
            Log.PeriodicJobFailed(logger, job.Name, exception);
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
            telemetry.RecordPeriodicRun(job.Name, outcome, time.GetElapsedTime(started));
        }

        try
        {
            // Released even at shutdown, so the next instance need not wait for the lease to expire.
            using var release = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await store.ReleaseAsync(job.Name, tick, _holder, release.Token);
        }
        catch (Exception exception)
        {
            Log.PeriodicClaimFailed(logger, job.Name, exception);
        }
    }

    private async Task RenewAsync(PeriodicJob job, long tick, IPeriodicJobStore store, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(RenewEvery, time, cancellationToken);
                if (!await store.RenewAsync(job.Name, tick, _holder, Lease, cancellationToken))
                {
                    Log.PeriodicLeaseLost(logger, job.Name);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            Log.PeriodicClaimFailed(logger, job.Name, exception);
        }
    }
}
