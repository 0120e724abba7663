using Tessera;

namespace HelloService;

/// <summary>
/// A periodic job: every minute, one instance of the service (whichever claims the tick) tells subscribers of
/// <c>service.heartbeat</c> that the service is alive and which process answered. With several instances on one
/// database it still runs once a minute, not once per instance. <c>--Tessera:Periodic:service.heartbeat=00:00:05</c>
/// changes the period; <c>=off</c> stops it.
/// </summary>
public sealed class Heartbeat(IEventBus events, TimeProvider time)
{
    [Periodic("00:01:00", Name = "service.heartbeat")]
    public async Task Beat(CancellationToken cancellationToken) =>
        await events.PublishAsync("service.heartbeat", new HeartbeatNotice(Environment.ProcessId, time.GetUtcNow()), cancellationToken);
}

public sealed record HeartbeatNotice(int Instance, DateTimeOffset At);
