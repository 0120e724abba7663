using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tessera.Observability;

namespace Tessera.Events;

/// <summary>
/// One subscriber. <see cref="Deliver"/> runs on the bus's dispatch loop, so it must never block: connections enqueue
/// into their own bounded queue, C# handlers into a per-subscription channel drained by its own task. Disposing a
/// subscription unsubscribes it.
/// </summary>
internal abstract class EventSubscription(TopicPattern pattern, string? userId, bool trusted, bool once) : IDisposable
{
    private int _delivered;

    public TopicPattern Pattern { get; } = pattern;

    /// <summary>The user a connection's subscription serves; guards per-user topics.</summary>
    public string? UserId { get; } = userId;

    /// <summary>The user's private-topic segment, computed once rather than per event.</summary>
    private readonly string? _ownSegment = PrivateTopics.SegmentOrNull(userId);

    /// <summary>Server-side code subscribing in C# may read any topic.</summary>
    public bool Trusted { get; } = trusted;

    public bool Once { get; } = once;

    public Action<EventSubscription>? OnDone { get; set; }

    /// <summary>Whether this subscriber may see the event: its pattern matches, and a per-user topic is its own.</summary>
    public bool Wants(EventMessage message) =>
        Pattern.Matches(message.Topic)
        && (Trusted || PrivateTopics.OwnerOf(message.Topic) is not { } owner || owner == _ownSegment);

    public void Offer(EventMessage message)
    {
        if (Once && Interlocked.Exchange(ref _delivered, 1) == 1)
        {
            return;
        }

        Deliver(message);
        if (Once)
        {
            OnDone?.Invoke(this);
        }
    }

    /// <summary>Leaves the bus (<see cref="OnDone"/>); nothing is delivered after.</summary>
    public virtual void Dispose() => OnDone?.Invoke(this);

    protected abstract void Deliver(EventMessage message);
}

/// <summary>A subscription whose delivery is a quick callback (long-poll waiters, connection queues).</summary>
/// <remarks>
/// The callback is static and given its state (the stream, the socket): a delegate bound to each stream was 64 bytes
/// more for every open stream.
/// </remarks>
internal sealed class InlineSubscription(
    TopicPattern pattern, string? userId, bool trusted, bool once, Action<object, EventMessage> deliver, object state)
    : EventSubscription(pattern, userId, trusted, once)
{
    protected override void Deliver(EventMessage message) => deliver(state, message);
}

/// <summary>A C# handler with its own bounded queue and reader task, so it runs in order and off the publisher's path.</summary>
internal sealed class HandlerSubscription : EventSubscription
{
    private readonly Channel<EventMessage> _queue;
    private readonly ILogger _logger;

    public HandlerSubscription(TopicPattern pattern, bool once, int capacity, Func<EventMessage, ValueTask> handler, ILogger logger)
        : base(pattern, userId: null, trusted: true, once)
    {
        _logger = logger;
        _queue = Channel.CreateBounded<EventMessage>(new BoundedChannelOptions(capacity) { SingleReader = true });
        _ = Task.Run(() => RunAsync(handler));
    }

    /// <summary>Leaves the bus, then lets the handler finish what is queued.</summary>
    public override void Dispose()
    {
        base.Dispose();
        _queue.Writer.TryComplete();
    }

    protected override void Deliver(EventMessage message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            Log.HandlerTooSlow(_logger, Pattern.Text, message.Id);
        }
    }

    private async Task RunAsync(Func<EventMessage, ValueTask> handler)
    {
        await foreach (var message in _queue.Reader.ReadAllAsync())
        {
            try
            {
                await handler(message);
            }
            catch (Exception exception)
            {
                Log.HandlerFailed(_logger, Pattern.Text, message.Id, exception);
            }
        }
    }
}
