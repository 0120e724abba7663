using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Dispatch;
using Tessera.Observability;
using Tessera.Stores;

namespace Tessera.Events;

/// <summary>
/// The event bus. Every event goes into the log first; one dispatch loop then delivers the log in id order to the
/// subscribers of this process. It reads the log right after a local publish and every <c>event_poll_interval</c>, so
/// events published by other processes sharing the store arrive too, with no duplicates and no reordering. A log that
/// is also an <see cref="IEventLogFeed"/> (PostgreSQL, Redis) pushes other processes' events as they are appended;
/// those that follow the last delivered one are delivered as they come, and any gap is filled from the log.
/// </summary>
internal sealed class EventBus(
    IEventLog log,
    TesseraJson json,
    IOptions<EventOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<EventBus> logger) : BackgroundService, IEventBus
{
    private const int ReadBatch = 500;
    private static readonly TimeSpan TrimEvery = TimeSpan.FromMinutes(1);

    private readonly EventOptions _options = options.Value;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<EventLogNotice> _notices = new();
    private int _mustReadLog;
    // Joining or leaving is O(1), and delivery walks an array of the subscribers in the order they joined, rebuilt by
    // the dispatch loop only when someone joined or left since the last event. A copy-on-write array copied every other
    // subscriber on each change (~40 KB of garbage per stream while 10,000 streams opened); walking the dictionary
    // itself reached them in hash order, which took 10,000 streams 14% longer to receive an event.
    private readonly ConcurrentDictionary<EventSubscription, long> _subscriptions = new();
    private long _joined;
    private int _changes;
    private Action<EventSubscription>? _remove;
    private int _deliveringAt = -1;
    private EventSubscription[] _delivering = [];
    private long _lastDelivered;

    /// <summary>How many subscriptions this process holds (for tests that must wait until a subscriber is in place).</summary>
    internal int SubscriptionCount => _subscriptions.Count;

    /// <summary>The id of the last event delivered in this process.</summary>
    public long LastDelivered => Interlocked.Read(ref _lastDelivered);

    public async ValueTask<EventMessage> PublishAsync(string topic, object? payload, CancellationToken cancellationToken = default)
    {
        if (!TopicPattern.IsTopic(topic))
        {
            throw new ArgumentException($"'{topic}' is not a topic: use dot-separated names of letters, digits, '_' and '-'.", nameof(topic));
        }

        await _ready.Task.WaitAsync(cancellationToken);
        var data = payload is null ? "null" : JsonSerializer.Serialize(payload, json.ResultInfo(payload.GetType()));
        var message = await log.AppendAsync(topic, data, time.GetUtcNow(), cancellationToken);
        Interlocked.Exchange(ref _mustReadLog, 1);
        _wake.Release();
        return message;
    }

    public ValueTask<EventMessage> PublishToUserAsync(string userId, string name, object? payload, CancellationToken cancellationToken = default) =>
        PublishAsync(PrivateTopics.For(userId, name), payload, cancellationToken);

    public IDisposable Subscribe(string pattern, Func<EventMessage, ValueTask> handler, bool once = false)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new HandlerSubscription(TopicPattern.Parse(pattern), once, _options.EventQueueCapacity, handler, logger);
        Add(subscription);
        return subscription;
    }

    public async Task<EventMessage?> WaitAsync(string pattern, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var arrived = new TaskCompletionSource<EventMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = AddInline(
            TopicPattern.Parse(pattern), userId: null, trusted: true, once: true,
            static (arrived, message) => ((TaskCompletionSource<EventMessage>)arrived).TrySetResult(message), arrived);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            return await arrived.Task.WaitAsync(timeout, time, stop.Token);
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The server is shutting down: release the long-poll with "nothing yet" rather than an error.
            return null;
        }
    }

    /// <summary>Subscribes a quick callback, for connections and waiters; dispose the result to stop.</summary>
    public IDisposable AddInline(TopicPattern pattern, string? userId, bool trusted, bool once, Action<EventMessage> deliver) =>
        AddInline(pattern, userId, trusted, once, static (deliver, message) => ((Action<EventMessage>)deliver)(message), deliver);

    /// <summary>
    /// Subscribes a quick static callback given <paramref name="state"/> with each event, for connections: no delegate
    /// per connection. Dispose the result to stop.
    /// </summary>
    public IDisposable AddInline(
        TopicPattern pattern, string? userId, bool trusted, bool once, Action<object, EventMessage> deliver, object state)
    {
        // Disposing the subscription removes it: no separate unsubscriber held by every open stream.
        var subscription = new InlineSubscription(pattern, userId, trusted, once, deliver, state);
        Add(subscription);
        return subscription;
    }

    /// <summary>Events after <paramref name="afterId"/> that the subscriber may see, for resuming a stream.</summary>
    public async Task<IReadOnlyList<EventMessage>> BacklogAsync(long afterId, Func<EventMessage, bool> wanted, CancellationToken cancellationToken)
    {
        var found = new List<EventMessage>();
        while (true)
        {
            var batch = await log.ReadAfterAsync(afterId, ReadBatch, cancellationToken);
            found.AddRange(batch.Where(wanted));
            if (batch.Count < ReadBatch || found.Count >= _options.EventLogMaxCount)
            {
                return found;
            }

            afterId = batch[^1].Id;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Interlocked.Exchange(ref _lastDelivered, await log.LastIdAsync(stoppingToken));
        _ready.TrySetResult();
        var listening = (log as IEventLogFeed)?.ListenAsync(OnNotice, stoppingToken) ?? Task.CompletedTask;
        var interval = TimeSpan.FromMilliseconds(_options.EventPollInterval);
        var nextTrim = time.GetUtcNow() + TrimEvery;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var polled = !await _wake.WaitAsync(interval, stoppingToken);
                var mustRead = DeliverNotices() | Interlocked.Exchange(ref _mustReadLog, 0) == 1;
                if (polled || mustRead)
                {
                    await DeliverNewAsync(stoppingToken);
                }

                if (time.GetUtcNow() >= nextTrim)
                {
                    nextTrim = time.GetUtcNow() + TrimEvery;
                    await log.TrimAsync(_options.EventLogMaxCount, time.GetUtcNow().AddSeconds(-_options.EventLogMaxAge), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // A busy or briefly unavailable store: the next round reads from where delivery stopped.
                Log.EventLogFailed(logger, exception);
                Interlocked.Exchange(ref _mustReadLog, 1);
                await _wake.WaitAsync(interval, stoppingToken);
            }
        }

        await listening.ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    private void OnNotice(EventLogNotice notice)
    {
        _notices.Enqueue(notice);
        _wake.Release();
    }

    /// <summary>Delivers pushed events that follow on from the last one delivered; true when the log must be read.</summary>
    private bool DeliverNotices()
    {
        var mustRead = false;
        while (_notices.TryDequeue(out var notice))
        {
            if (notice.Message is { } message && message.Id <= LastDelivered)
            {
                continue;
            }

            if (notice.Message is { } next && notice.PreviousId == LastDelivered && !mustRead)
            {
                Deliver(next);
            }
            else
            {
                mustRead = true;
            }
        }

        return mustRead;
    }

    private async Task DeliverNewAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await log.ReadAfterAsync(LastDelivered, ReadBatch, cancellationToken);
            foreach (var message in batch)
            {
                Deliver(message);
            }

            if (batch.Count < ReadBatch)
            {
                return;
            }
        }
    }

    private void Deliver(EventMessage message)
    {
        foreach (var subscription in Subscribers())
        {
            if (subscription.Wants(message))
            {
                subscription.Offer(message);
            }
        }

        Interlocked.Exchange(ref _lastDelivered, message.Id);
    }

    /// <summary>The subscribers in the order they joined, as of the last change (only the dispatch loop calls this).</summary>
    private EventSubscription[] Subscribers()
    {
        var changes = Volatile.Read(ref _changes);
        if (changes != _deliveringAt)
        {
            // One joining or leaving meanwhile counts as another change: the next event rebuilds again.
            var joined = _subscriptions.ToArray();
            Array.Sort(joined, static (a, b) => a.Value.CompareTo(b.Value));
            _delivering = Array.ConvertAll(joined, static pair => pair.Key);
            _deliveringAt = changes;
        }

        return _delivering;
    }

    private void Add(EventSubscription subscription)
    {
        // One delegate for every subscription, not one each (64 bytes held by every open stream).
        subscription.OnDone = _remove ??= Remove;
        _subscriptions.TryAdd(subscription, Interlocked.Increment(ref _joined));
        Interlocked.Increment(ref _changes);
    }

    private void Remove(EventSubscription subscription)
    {
        if (_subscriptions.TryRemove(subscription, out _))
        {
            Interlocked.Increment(ref _changes);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
