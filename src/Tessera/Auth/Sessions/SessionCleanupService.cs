using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Observability;
using Tessera.Stores;

namespace Tessera.Auth.Sessions;

/// <summary>Deletes expired sessions and nonces periodically, so the store does not grow without bound.</summary>
internal sealed class SessionCleanupService(
    ISessionStore sessions,
    INonceStore nonces,
    IOptions<TesseraSessionOptions> options,
    TimeProvider time,
    ILogger<SessionCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SessionCleanupInterval), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await SweepAsync(stoppingToken);
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            var expiredSessions = await sessions.DeleteExpiredAsync(now, cancellationToken);
            var expiredNonces = await nonces.DeleteExpiredAsync(now, cancellationToken);
            Log.CleanedUp(logger, expiredSessions, expiredNonces);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A failed sweep (database busy, briefly unreachable) is retried at the next tick.
            Log.CleanupFailed(logger, exception);
        }
    }
}
