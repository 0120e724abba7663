namespace Tessera.Stores;

/// <summary>
/// Implemented by an event log that other processes append to and that can say so at once (PostgreSQL NOTIFY, Redis
/// pub/sub), so events from other instances arrive without waiting for the next poll of the log.
/// </summary>
public interface IEventLogFeed
{
    /// <summary>
    /// Listens until <paramref name="cancellationToken"/> is cancelled, reconnecting after failures, and hands each
    /// notice to <paramref name="onNotice"/> in append order. After every (re)connection it sends
    /// <see cref="EventLogNotice.ReadTheLog"/>, so events appended while it was not listening are read from the log.
    /// </summary>
    Task ListenAsync(Action<EventLogNotice> onNotice, CancellationToken cancellationToken);
}

/// <summary>
/// News of an append. <see cref="Message"/> is the event itself when it fitted in the notification, and
/// <see cref="PreviousId"/> the id of the event before it in the log, so the receiver can tell that it missed none
/// and deliver without reading the log. A notice without a message says: read the log.
/// </summary>
public readonly record struct EventLogNotice(long PreviousId, EventMessage? Message)
{
    /// <summary>A notice that carries no event: read the log from where delivery stopped.</summary>
    public static EventLogNotice ReadTheLog => default;
}
