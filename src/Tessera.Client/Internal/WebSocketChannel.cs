using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace Tessera.Client;

/// <summary>
/// The one WebSocket a client keeps on <c>/ws</c>: JSON-RPC calls matched to their answers by id, and pushed events
/// handed to the subscriptions whose topics they match. The socket is opened on first use with the session of that
/// moment, and opened again (re-subscribing) after it drops; calls in flight when it drops fail as transport errors.
/// </summary>
internal sealed class WebSocketChannel(TesseraClient client) : IDisposable
{
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<SocketSubscription, byte> _subscriptions = new();
    private readonly CancellationTokenSource _closing = new();
    private ClientWebSocket? _socket;

    // The server fixes a socket's caller at the upgrade, so a socket serves the session it was opened with only; after
    // a sign-in or sign-out the next use opens a new one (re-subscribing).
    private string? _socketSession;

    public async Task<JsonElement> CallAsync(string method, ReadOnlyMemory<byte> parameters, CancellationToken cancellationToken)
    {
        var id = client.NextId();
        var answer = await ExchangeAsync(id, WireFormat.JsonRpcRequest(method, parameters, id), cancellationToken);
        return answer;
    }

    public Task OpenAsync(CancellationToken cancellationToken) => ConnectAsync(cancellationToken);

    public async Task NotifyAsync(string method, ReadOnlyMemory<byte> parameters, CancellationToken cancellationToken)
    {
        var socket = await ConnectAsync(cancellationToken);
        await SendAsync(socket, WireFormat.JsonRpcRequest(method, parameters, id: null), cancellationToken);
    }

    /// <summary>Sends a JSON-RPC batch and gathers its answers (one frame, an array) by the ids of its entries.</summary>
    public async Task<JsonElement> BatchAsync(byte[] batch, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(batch);
        var ids = document.RootElement.EnumerateArray()
            .Where(e => e.TryGetProperty("id"u8, out _))
            .Select(e => e.GetProperty("id"u8).GetInt64())
            .ToList();
        var waits = ids.Select(id => _pending.GetOrAdd(id, _ => NewCompletion()).Task).ToList();
        var socket = await ConnectAsync(cancellationToken);
        try
        {
            await SendAsync(socket, batch, cancellationToken);
            var answers = await Task.WhenAll(waits).WaitAsync(cancellationToken);
            return JsonSerializer.SerializeToElement(answers, ClientJsonContext.Default.JsonElementArray);
        }
        finally
        {
            foreach (var id in ids)
            {
                _pending.TryRemove(id, out _);
            }
        }
    }

    /// <summary>Subscribes to <paramref name="topics"/>; events arrive in the subscription until it is disposed.</summary>
    public async Task<SocketSubscription> SubscribeAsync(IReadOnlyList<string> topics, long? lastEventId, CancellationToken cancellationToken)
    {
        var subscription = new SocketSubscription(topics, this) { LastId = lastEventId };
        _subscriptions[subscription] = 0;
        try
        {
            await SubscribeOnSocketAsync(topics, lastEventId, cancellationToken);
        }
        catch
        {
            _subscriptions.TryRemove(subscription, out _);
            throw;
        }

        return subscription;
    }

    public async Task CloseAsync()
    {
        if (_socket is { State: WebSocketState.Open } socket)
        {
            await CloseQuietlyAsync(socket, "client closed");
        }
    }

    /// <summary>Says goodbye, waiting at most 2 s; a peer that went away first leaves nothing to close.</summary>
    private static async Task CloseQuietlyAsync(ClientWebSocket socket, string reason)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, wait.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // Gone already.
        }
    }

    public void Dispose()
    {
        _closing.Cancel();
        _socket?.Dispose();
        foreach (var subscription in _subscriptions.Keys)
        {
            subscription.Events.Writer.TryComplete();
        }
    }

    internal void Forget(SocketSubscription subscription) => _subscriptions.TryRemove(subscription, out _);

    private async Task SubscribeOnSocketAsync(IReadOnlyList<string> topics, long? lastEventId, CancellationToken cancellationToken)
    {
        WireFormat.ReadJsonRpcAnswer(await CallAsync("events.subscribe", SubscribeParameters(topics, lastEventId), cancellationToken));
    }

    /// <summary><c>{"topics": [...], "last_event_id": N}</c>: the service replays its log after N, then sends live events.</summary>
    private ReadOnlyMemory<byte> SubscribeParameters(IReadOnlyList<string> topics, long? lastEventId)
    {
        var parameters = client.CreateParameters().Add("topics", topics.ToArray());
        if (lastEventId is { } id)
        {
            parameters.Add("last_event_id", id);
        }

        return parameters.ToJson();
    }

    private async Task<JsonElement> ExchangeAsync(long id, byte[] request, CancellationToken cancellationToken)
    {
        var completion = _pending.GetOrAdd(id, _ => NewCompletion());
        try
        {
            var socket = await ConnectAsync(cancellationToken);
            await SendAsync(socket, request, cancellationToken);
            return await completion.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_socket is { State: WebSocketState.Open } open && _socketSession == client.Session?.Id)
        {
            return open;
        }

        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            if (_socket is { State: WebSocketState.Open } raced && _socketSession == client.Session?.Id)
            {
                return raced;
            }

            // Forget the old socket first, so its receive loop ends quietly instead of failing calls meant for the new one.
            var old = _socket;
            _socket = null;
            if (old is { State: WebSocketState.Open })
            {
                await CloseQuietlyAsync(old, "session changed");
            }

            old?.Dispose();
            _socketSession = client.Session?.Id;
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
            if (client.Session is { } session)
            {
                socket.Options.SetRequestHeader(HttpSender.SessionHeader, session.Id);
            }

            if (client.Options.ApiToken is { } token)
            {
                socket.Options.SetRequestHeader(HttpSender.ApiTokenHeader, token);
            }

            var address = new UriBuilder(new Uri(client.BaseAddress, "ws")) { Scheme = client.BaseAddress.Scheme == "https" ? "wss" : "ws" }.Uri;
            try
            {
                await socket.ConnectAsync(address, client.Http, cancellationToken);
            }
            catch (WebSocketException exception)
            {
                socket.Dispose();
                throw new TesseraTransportException($"{address}: {exception.Message}", requestSent: false, innerException: exception);
            }

            _socket = socket;
            _ = Task.Run(() => ReceiveLoopAsync(socket), CancellationToken.None);
            if (!_subscriptions.IsEmpty)
            {
                // A new socket starts with no topics: subscribe again to what the old one carried, resuming after the
                // oldest event any subscription saw last (each subscription drops what it already has).
                var topics = _subscriptions.Keys.SelectMany(s => s.Topics).Distinct().ToList();
                var resumeAfter = _subscriptions.Keys.Select(s => s.LastId).Min();
                var id = client.NextId();
                var completion = _pending.GetOrAdd(id, _ => NewCompletion());
                await SendAsync(socket, WireFormat.JsonRpcRequest("events.subscribe", SubscribeParameters(topics, resumeAfter), id), cancellationToken);
                _ = completion.Task.ContinueWith(_ => _pending.TryRemove(id, out var _), TaskScheduler.Default);
            }

            return socket;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async Task SendAsync(ClientWebSocket socket, byte[] frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException
            // A socket the service closed under the send (it was stopping) fails the send as cancelled, though no one
            // cancelled it: a transport failure, which reconnects and retries, not the caller's cancellation.
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new TesseraTransportException($"The WebSocket failed while sending: {exception.Message}", requestSent: true, innerException: exception);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer.GetMemory(4096), _closing.Token);
                    buffer.Advance(received.Count);
                }
                while (!received.EndOfMessage);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                Dispatch(buffer.WrittenMemory);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // The socket dropped; the calls still waiting fail below, and the next call opens a new one.
        }
        finally
        {
            // A socket replaced after a session change ends quietly: what waits now belongs to its successor.
            if (ReferenceEquals(socket, _socket))
            {
                Dropped(socket);
            }
        }
    }

    /// <summary>Fails every call still waiting, with the service's reason when it closed the socket (a message over its limit).</summary>
    private void Dropped(ClientWebSocket socket)
    {
        var why = socket.CloseStatus is { } status && status != WebSocketCloseStatus.NormalClosure
            ? $" (the service closed it: {(int)status} {socket.CloseStatusDescription})"
            : string.Empty;
        var dropped = new TesseraTransportException($"The WebSocket closed before the answer arrived{why}.", requestSent: true);
        foreach (var (id, completion) in _pending)
        {
            completion.TrySetException(dropped);
            _pending.TryRemove(id, out _);
        }

        foreach (var subscription in _subscriptions.Keys)
        {
            subscription.Dropped();
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> frame)
    {
        using var document = JsonDocument.Parse(frame);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var answer in root.EnumerateArray())
            {
                Complete(answer);
            }

            return;
        }

        if (root.TryGetProperty("method"u8, out var method) && method.ValueEquals("event"u8) && root.TryGetProperty("params"u8, out var pushed))
        {
            var topic = pushed.GetProperty("topic"u8).GetString()!;
            var published = new TesseraEvent(pushed.GetProperty("id"u8).GetInt64(), topic, pushed.TryGetProperty("data"u8, out var data) ? data.Clone() : default);
            foreach (var subscription in _subscriptions.Keys)
            {
                if (subscription.Matches(topic))
                {
                    subscription.Events.Writer.TryWrite(published);
                }
            }

            return;
        }

        Complete(root);
    }

    private void Complete(JsonElement answer)
    {
        if (answer.TryGetProperty("id"u8, out var id) && id.TryGetInt64(out var number) && _pending.TryGetValue(number, out var completion))
        {
            completion.TrySetResult(answer.Clone());
        }
    }

    private static TaskCompletionSource<JsonElement> NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Events of some topics arriving on the client's WebSocket.</summary>
internal sealed class SocketSubscription(IReadOnlyList<string> topics, WebSocketChannel channel) : IDisposable
{
    public IReadOnlyList<string> Topics => topics;

    /// <summary>The id of the last event the reader took (or the one it started after), to resume from.</summary>
    public long? LastId { get; set; }

    public Channel<TesseraEvent> Events { get; } = Channel.CreateUnbounded<TesseraEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Set when the socket dropped; the reader reconnects and resubscribes.</summary>
    public volatile bool WasDropped;

    public void Dropped()
    {
        WasDropped = true;
        Events.Writer.TryWrite(Marker);
    }

    /// <summary><c>*</c>, an exact topic, or a prefix pattern <c>a.*</c> (any topic under <c>a.</c>).</summary>
    public bool Matches(string topic)
    {
        foreach (var pattern in topics)
        {
            if (pattern == "*" || pattern == topic
                || (pattern.EndsWith(".*", StringComparison.Ordinal) && topic.StartsWith(pattern[..^1], StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        channel.Forget(this);
        Events.Writer.TryComplete();
    }

    /// <summary>Written when the socket drops, so a waiting reader wakes up to reconnect.</summary>
    public static readonly TesseraEvent Marker = new(-1, "", default);
}
