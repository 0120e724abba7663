using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Auth;
using Tessera.Buffers;
using Tessera.Dispatch;
using Tessera.Errors;
using Tessera.Events;
using Tessera.Observability;
using Tessera.Wires.Http;
using Tessera.Wires.JsonRpc;

namespace Tessera.Wires.WebSockets;

/// <summary>
/// One WebSocket: JSON-RPC 2.0 requests in text frames (run concurrently, so a long-poll does not block the socket),
/// <c>events.subscribe</c> / <c>events.unsubscribe</c>, and events pushed as <c>event</c> notifications. Frames leave
/// in the order they are queued: events and answers wait in one bounded queue, and an answer skips it only when it is
/// empty and nothing is being sent. A client too slow to drain the queue is closed with a reason.
/// </summary>
internal sealed class WebSocketConnection(
    Caller caller,
    WebSocket socket,
    string userId,
    EventBus bus,
    ITopicPolicy policy,
    CallRunner runner,
    JsonRpcWriter writer,
    HttpWire wire,
    IOptions<TesseraOptions> tessera,
    IOptions<EventOptions> events,
    IHostApplicationLifetime lifetime,
    ILogger<WebSocketConnection> logger)
{
    private const int TooSlowCloseCode = 4008;

    // How long a closing socket waits for its calls in flight (they are cancelled first) before letting go.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    // How long a client cut off as too slow has to read what is queued and answer the close.
    private static readonly TimeSpan TooSlowGrace = TimeSpan.FromSeconds(10);

    private readonly int _concurrency = tessera.Value.BatchConcurrency;

    private readonly Channel<byte[]> _outbox = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(events.Value.EventQueueCapacity) { SingleReader = true });

    // One send at a time: the send loop holds it for the frames it takes from the outbox, an answer sent at once holds
    // it too (a WebSocket allows one send in flight).
    private readonly SemaphoreSlim _sending = new(1, 1);

    private readonly Dictionary<string, IDisposable> _subscriptions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _calls = new(tessera.Value.BatchConcurrency);
    private readonly CancellationTokenSource _closing = CancellationTokenSource.CreateLinkedTokenSource(caller.Http.RequestAborted, lifetime.ApplicationStopping);
    private long _lastEventId;
    private bool _tooSlow;

    // While events.subscribe replays the log after last_event_id, live events wait here so none goes out ahead of
    // (and so hides) an older one; null when nothing is being replayed.
    private List<EventMessage>? _heldWhileReplaying;

    private readonly string? _ownSegment = PrivateTopics.SegmentOrNull(userId);

    private string? UserId => userId.Length == 0 ? null : userId;

    public async Task RunAsync()
    {
        var sending = SendLoopAsync();
        try
        {
            await ReceiveLoopAsync();
        }
        finally
        {
            lock (_lock)
            {
                foreach (var subscription in _subscriptions.Values)
                {
                    subscription.Dispose();
                }

                _subscriptions.Clear();
            }

            // Calls in flight are cancelled, then awaited (bounded): none outlives the upgrade request it runs on.
            await _closing.CancelAsync();
            var drained = await DrainCallsAsync();
            _outbox.Writer.TryComplete();
            await sending;
            if (drained)
            {
                _closing.Dispose();
            }
        }
    }

    /// <summary>Waits until every call slot is free again, i.e. no call is running; false when time ran out.</summary>
    private async Task<bool> DrainCallsAsync()
    {
        var deadline = DateTime.UtcNow + DrainTimeout;
        for (var taken = 0; taken < _concurrency; taken++)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _calls.WaitAsync(left))
            {
                Log.CallsOutlivedSocket(logger, _concurrency - taken);
                return false;
            }
        }

        return true;
    }

    private async Task ReceiveLoopAsync()
    {
        var limit = (int)Math.Min(tessera.Value.MaxRequestBodySize, int.MaxValue);
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (socket.State == WebSocketState.Open && !_closing.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(4096), _closing.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
                    return;
                }

                buffer.Advance(result.Count);
                if (buffer.WrittenCount > limit)
                {
                    await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {limit} bytes");
                    return;
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    await CloseAsync(WebSocketCloseStatus.InvalidMessageType, "send JSON-RPC 2.0 requests as text frames");
                    return;
                }

                var message = buffer.WrittenMemory.ToArray();
                buffer.ResetWrittenCount();
                // Wait for a free slot before reading on: a client flooding requests is slowed by TCP, not queued in memory.
                await _calls.WaitAsync(_closing.Token);
                _ = HandleAsync(message);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The client left, the server is stopping, or the connection broke.
        }
    }

    /// <summary>Answers one message (a request or a batch, as one frame); the caller has taken a slot of <see cref="_calls"/>, released here.</summary>
    private async Task HandleAsync(byte[] message)
    {
        try
        {
            if (!wire.TryParseJson(message, out var document, out var problem))
            {
                await ReplyAsync(writer.SerializeError(ErrorTable.Malformed(problem), default, ErrorTable.ParseErrorCode, "Parse error"));
                return;
            }

            using (document)
            {
                using var answer = new PooledBufferWriter();
                if (await JsonRpcBatch.AnswerAsync(
                    document.RootElement, runner, writer, caller, requestServices: null, answer, _closing.Token, EventsCallAsync))
                {
                    await ReplyAsync(answer.WrittenMemory);
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // Closing: the answer has nowhere to go.
        }
        catch (Exception exception)
        {
            // Nothing a message does may fault unobserved; the call runner already answers errors of calls.
            Log.SocketMessageFailed(logger, exception);
        }
        finally
        {
            _calls.Release();
        }
    }

    /// <summary><c>events.subscribe</c> and <c>events.unsubscribe</c> are the socket's own; null lets other methods run.</summary>
    private async ValueTask<byte[]?> EventsCallAsync(JsonRpcRequest request)
    {
        if (request.Method is not ("events.subscribe" or "events.unsubscribe"))
        {
            return null;
        }

        try
        {
            var (value, error) = request.Method == "events.subscribe" ? await SubscribeAsync(request.Params) : Unsubscribe(request.Params);
            return error is null ? writer.SerializeValue(value!, request.Id) : writer.SerializeError(error, request.Id);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The caller gets an answer (an internal error, details only in the log), never silence.
            Log.SocketMessageFailed(logger, exception);
            return writer.SerializeError(ErrorTable.FromException(exception, TransactionIds.Shared.Next(), includeDetails: false), request.Id);
        }
    }

    private async Task<(object? Value, MethodError? Error)> SubscribeAsync(JsonElement parameters)
    {
        if (Topics(parameters) is not { } topics)
        {
            return (null, ErrorTable.InvalidParameters(["'topics' must be a non-empty array of topic patterns"]));
        }

        long? resumeAfter = null;
        if (parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("last_event_id"u8, out var last))
        {
            if (last.ValueKind != JsonValueKind.Number || !last.TryGetInt64(out var id) || id < 0)
            {
                return (null, ErrorTable.InvalidParameters(["'last_event_id' must be a non-negative integer"]));
            }

            resumeAfter = id;
            lock (_lock)
            {
                _heldWhileReplaying ??= [];
            }
        }

        try
        {
            var patterns = new List<TopicPattern>();
            var refusal = await AddSubscriptionsAsync(topics, patterns);
            if (refusal is null && resumeAfter is { } after)
            {
                // Subscribed first, then the backlog: nothing published in between is lost, and ids skip repeats.
                var missed = await bus.BacklogAsync(after, m => patterns.Any(p => p.Matches(m.Topic))
                    && (PrivateTopics.OwnerOf(m.Topic) is not { } owner || owner == _ownSegment), _closing.Token);
                lock (_lock)
                {
                    missed.ToList().ForEach(PushNow);
                }
            }

            return refusal is null ? (new { Subscribed = topics }, null) : (null, refusal);
        }
        finally
        {
            if (resumeAfter is not null)
            {
                lock (_lock)
                {
                    var held = _heldWhileReplaying ?? [];
                    _heldWhileReplaying = null;
                    held.ForEach(PushNow);
                }
            }
        }
    }

    private async Task<MethodError?> AddSubscriptionsAsync(List<string> topics, List<TopicPattern> patterns)
    {
        foreach (var topic in topics)
        {
            var (pattern, refusal) = await EventSubscriber.CheckAsync(topic, UserId, policy, caller.Http);
            if (refusal is { } refused)
            {
                return refused.StatusCode == StatusCodes.Status400BadRequest
                    ? ErrorTable.InvalidParameters([refused.Message])
                    : ErrorTable.NotAuthorized();
            }

            patterns.Add(pattern);
            lock (_lock)
            {
                if (!_subscriptions.ContainsKey(topic))
                {
                    if (_subscriptions.Count >= EventSubscriber.MaxPatterns)
                    {
                        return ErrorTable.InvalidParameters([$"a connection may follow at most {EventSubscriber.MaxPatterns} topic patterns"]);
                    }

                    _subscriptions[topic] = bus.AddInline(
                        pattern, UserId, trusted: false, once: false, static (connection, message) => ((WebSocketConnection)connection).Push(message), this);
                }
            }
        }

        return null;
    }

    private (object? Value, MethodError? Error) Unsubscribe(JsonElement parameters)
    {
        if (Topics(parameters) is not { } topics)
        {
            return (null, ErrorTable.InvalidParameters(["'topics' must be a non-empty array of topic patterns"]));
        }

        lock (_lock)
        {
            foreach (var topic in topics)
            {
                if (_subscriptions.Remove(topic, out var subscription))
                {
                    subscription.Dispose();
                }
            }
        }

        return (new { Unsubscribed = topics }, null);
    }

    /// <summary>Runs on the bus's dispatch loop: serialize and enqueue (or hold during a replay), never block.</summary>
    private void Push(EventMessage message)
    {
        lock (_lock)
        {
            if (_heldWhileReplaying is { } held)
            {
                held.Add(message);
                return;
            }

            PushNow(message);
        }
    }

    private void PushNow(EventMessage message)
    {
        // Overlapping subscriptions see the same event; it is sent once. The bus delivers in id order, on one loop.
        if (message.Id <= _lastEventId)
        {
            return;
        }

        _lastEventId = message.Id;

        using var buffer = new PooledBufferWriter();
        using (var lease = JsonWriterCache.Rent(buffer))
        {
            var notification = lease.Writer;
            notification.WriteStartObject();
            notification.WriteString("jsonrpc"u8, "2.0");
            notification.WriteString("method"u8, "event");
            notification.WriteStartObject("params"u8);
            notification.WriteString("topic"u8, PrivateTopics.Present(message.Topic, _ownSegment));
            notification.WriteNumber("id"u8, message.Id);
            notification.WritePropertyName("data"u8);
            message.Data.WriteTo(notification);
            notification.WriteEndObject();
            notification.WriteEndObject();
        }

        Enqueue(buffer.WrittenMemory.ToArray());
    }

    /// <summary>
    /// Sends an answer at once when nothing waits in the outbox and nothing is being sent (the usual case of a socket
    /// whose client reads: no hop to the send loop's thread); otherwise queues a copy of it, waiting for room. The call
    /// keeps its slot meanwhile, so a client that sends faster than it reads is slowed by TCP instead of being cut off.
    /// Only events, which the client does not pace, cut it off. <paramref name="frame"/> may be a pooled buffer: it is
    /// not used after this returns.
    /// </summary>
    private async ValueTask ReplyAsync(ReadOnlyMemory<byte> frame)
    {
        try
        {
            if (!await TrySendNowAsync(frame))
            {
                await _outbox.Writer.WriteAsync(frame.ToArray(), _closing.Token);
            }
        }
        catch (ChannelClosedException)
        {
            // Cut off as too slow for its events: the answer has nowhere to go.
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
    }

    /// <summary>
    /// Sends the frame now if it would be next anyway: the outbox is empty (the send loop takes frames only while it
    /// holds <see cref="_sending"/>, so none is between the queue and the socket) and no send is in flight. True when
    /// the frame was dealt with: sent, or dropped because the client was cut off or the connection broke.
    /// </summary>
    private async ValueTask<bool> TrySendNowAsync(ReadOnlyMemory<byte> frame)
    {
        if (!_sending.Wait(0))
        {
            return false;
        }

        try
        {
            if (_tooSlow)
            {
                // Cut off as too slow for its events: the answer has nowhere to go.
                return true;
            }

            // Read while holding the turn, so no frame can be on its way from the queue to the socket.
            if (_outbox.Reader.Count > 0)
            {
                return false;
            }

            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _closing.Token);
            return true;
        }
        catch (WebSocketException)
        {
            // The connection broke; the receive loop sees it and ends the socket.
            return true;
        }
        finally
        {
            _sending.Release();
        }
    }

    private void Enqueue(byte[] frame)
    {
        if (!_outbox.Writer.TryWrite(frame) && !_tooSlow)
        {
            _tooSlow = true;
            Log.SlowConsumer(logger, "WebSocket", events.Value.EventQueueCapacity);
            _outbox.Writer.TryComplete();
            // A send may be stuck on a client that stopped reading: the grace period starts now, not when it returns.
            try
            {
                _closing.CancelAfter(TooSlowGrace);
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(_closing.Token))
            {
                await _sending.WaitAsync(_closing.Token);
                try
                {
                    while (_outbox.Reader.TryRead(out var frame))
                    {
                        await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _closing.Token);
                    }
                }
                finally
                {
                    _sending.Release();
                }
            }

            if (_tooSlow)
            {
                // The send turn is taken for good: no answer goes out at once beside or after the close.
                await _sending.WaitAsync(_closing.Token);
                await CloseAsync((WebSocketCloseStatus)TooSlowCloseCode,
                    $"more than {events.Value.EventQueueCapacity} messages waiting: too slow; reconnect and subscribe again");
                // The client reads what was queued, then answers the close; one that never does is dropped when the
                // grace period set at the cut-off ends.
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The connection is going away.
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
            {
                // The peer is gone already.
            }
        }
    }

    private static List<string>? Topics(JsonElement parameters)
    {
        var list = parameters.ValueKind switch
        {
            JsonValueKind.Object when parameters.TryGetProperty("topics"u8, out var topics) && topics.ValueKind == JsonValueKind.Array => topics,
            JsonValueKind.Array => parameters,
            _ => default,
        };
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0 || list.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            return null;
        }

        return [.. list.EnumerateArray().Select(t => t.GetString()!).Distinct(StringComparer.Ordinal)];
    }
}
