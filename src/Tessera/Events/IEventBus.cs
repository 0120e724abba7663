namespace Tessera;

/// <summary>
/// Publishes events and delivers them to subscribers in this process and, through the shared event log, in every
/// process using the same store. Topics are dot-separated (<c>chat.message</c>); a pattern ending in <c>.*</c> matches
/// every topic below it, and <c>*</c> matches all. Events are JSON; nothing else crosses processes. Topics under
/// <c>user.</c> are private to one user: publish them with <see cref="PublishToUserAsync"/>.
/// </summary>
public interface IEventBus
{
    /// <summary>Appends an event to the log and delivers it; answers it with its id.</summary>
    ValueTask<EventMessage> PublishAsync(string topic, object? payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes <paramref name="name"/> (a topic such as <c>inbox</c>) privately to one user: only that signed-in user
    /// receives it, as <c>user.me.{name}</c>. Any user id works, whatever characters it holds; no id can read another's.
    /// </summary>
    ValueTask<EventMessage> PublishToUserAsync(string userId, string name, object? payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="handler"/> for each matching event, in order, off the publisher's path (each subscription
    /// has its own queue; a failing handler is logged and affects no other). Dispose the result to stop.
    /// </summary>
    IDisposable Subscribe(string pattern, Func<EventMessage, ValueTask> handler, bool once = false);

    /// <summary>
    /// Waits for the next matching event, the long-poll pattern: null when <paramref name="timeout"/> passes or the
    /// server shuts down first; cancelled with <paramref name="cancellationToken"/> (for example when the client leaves).
    /// </summary>
    Task<EventMessage?> WaitAsync(string pattern, TimeSpan timeout, CancellationToken cancellationToken = default);
}
