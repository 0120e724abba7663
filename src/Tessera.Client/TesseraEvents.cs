using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Tessera.Client;

/// <summary>
/// Events a service publishes: <c>await foreach (var e in client.Events.SubscribeAsync("chat.*", lastEventId, ct))</c>.
/// Over Server-Sent Events (the default) a dropped stream is opened again with <c>Last-Event-ID</c>, so the service's
/// event log replays what was missed and nothing arrives twice, across a service restart too. With
/// <see cref="TesseraWire.WebSocket"/> events share the client's socket, which is opened again after a drop and
/// re-subscribes with <c>last_event_id</c>, so the service replays the same way.
/// </summary>
public sealed class TesseraEvents
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);

    // The codes a refused subscription gets on the WebSocket (JSON-RPC's invalid params, Tessera's 1003 and 1004).
    private const int InvalidParams = -32602;
    private const int InvalidParameters = 1003;
    private const int NotAuthorized = 1004;
    private readonly TesseraClient _client;

    internal TesseraEvents(TesseraClient client) => _client = client;

    /// <summary>Events of <paramref name="topics"/> (comma-separated patterns such as <c>chat.*,news</c>), after
    /// <paramref name="lastEventId"/> when given, until <paramref name="cancellationToken"/> ends the subscription.</summary>
    public IAsyncEnumerable<TesseraEvent> SubscribeAsync(string topics, long? lastEventId = null, CancellationToken cancellationToken = default) =>
        SubscribeAsync(topics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), lastEventId, cancellationToken);

    /// <summary>Events of <paramref name="topics"/>, after <paramref name="lastEventId"/> when given.</summary>
    public IAsyncEnumerable<TesseraEvent> SubscribeAsync(IReadOnlyList<string> topics, long? lastEventId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count == 0)
        {
            throw new ArgumentException("Name at least one topic.", nameof(topics));
        }

        return _client.Options.Wire == TesseraWire.WebSocket
            ? OverSocketAsync(topics, lastEventId, cancellationToken)
            : OverSseAsync(topics, lastEventId, cancellationToken);
    }

    private async IAsyncEnumerable<TesseraEvent> OverSseAsync(
        IReadOnlyList<string> topics, long? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = lastEventId;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            HttpResponseMessage? response = null;
            try
            {
                response = await OpenStreamAsync(topics, last, cancellationToken);
            }
            catch (TesseraTransportException exception) when (exception.StatusCode is null or >= 500)
            {
                // The service is down or restarting: try again, waiting longer each time.
            }

            if (response is not null)
            {
                using (response)
                {
                    await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                    using var reader = new StreamReader(stream, Encoding.UTF8);
                    var parser = new SseParser();
                    var ended = false;
                    try
                    {
                        while (!ended)
                        {
                            string? line;
                            try
                            {
                                line = await reader.ReadLineAsync(cancellationToken);
                            }
                            catch (Exception exception) when (exception is IOException or HttpRequestException)
                            {
                                line = null;
                            }

                            ended = line is null;
                            if (!ended && parser.Feed(line!) is { } published && (last is null || published.Id > last))
                            {
                                last = published.Id;
                                delay = TimeSpan.FromMilliseconds(100);
                                yield return published;
                            }
                        }
                    }
                    finally
                    {
                        if (!ended)
                        {
                            // The caller left the loop (or was cancelled) with the stream still open.
                            await CloseWithoutDrainAsync(stream);
                        }
                    }
                }
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
        }
    }

    /// <summary>
    /// Closes an event stream nobody reads any more. Disposing it as it is would make HttpClient drain the rest of the
    /// response to reuse the connection: on a stream that never ends, for the whole ResponseDrainTimeout (2 s by
    /// default), while the service keeps the subscriber. A read cancelled while it waits closes the connection instead.
    /// </summary>
    private static async ValueTask CloseWithoutDrainAsync(Stream stream)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            using var abort = new CancellationTokenSource();
            // What the service sent already is read through; the first read that has to wait is the one cancelled.
            for (var i = 0; i < 16; i++)
            {
                var read = stream.ReadAsync(buffer, abort.Token);
                if (!read.IsCompleted)
                {
                    abort.Cancel();
                }

                if (await read == 0)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // Closed: what was wanted.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<HttpResponseMessage> OpenStreamAsync(IReadOnlyList<string> topics, long? last, CancellationToken cancellationToken)
    {
        var query = "events?topics=" + Uri.EscapeDataString(string.Join(',', topics));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_client.BaseAddress, query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        HttpSender.AddIdentity(request.Headers, _client.Session, _client.Options.ApiToken);
        if (last is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
        }

        HttpResponseMessage response;
        try
        {
            response = await _client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw HttpSender.Failure(request, exception);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.Content.Headers.ContentType?.MediaType == "application/json" && body.Length > 0)
            {
                using var document = JsonDocument.Parse(body);
                WireFormat.ReadTotoAnswer(document.RootElement);
            }

            // The service refused the stream and said why in plain text (a topic that is not a pattern, a private topic
            // without a session): the error a subscription over the WebSocket gets, so both wires fail alike.
            var reason = response.Content.Headers.ContentType?.MediaType == "text/plain" ? Encoding.UTF8.GetString(body).Trim() : "";
            if (reason.Length > 0 && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                var value = JsonSerializer.SerializeToElement(reason, ClientJsonContext.Default.String);
                throw response.StatusCode == HttpStatusCode.BadRequest
                    ? new TesseraCallException(_client.Options.Wire == TesseraWire.Toto ? InvalidParameters : InvalidParams, "Invalid parameters: " + reason, value)
                    : new TesseraCallException(NotAuthorized, reason, value);
            }

            throw new TesseraTransportException($"{request.RequestUri} answered HTTP {(int)response.StatusCode}.", requestSent: true, (int)response.StatusCode);
        }
    }

    private async IAsyncEnumerable<TesseraEvent> OverSocketAsync(
        IReadOnlyList<string> topics, long? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var last = lastEventId;
        using var subscription = await SubscribeOnSocketAsync(topics, lastEventId, cancellationToken);
        while (true)
        {
            var published = await subscription.Events.Reader.ReadAsync(cancellationToken);
            if (ReferenceEquals(published, SocketSubscription.Marker))
            {
                await ReconnectAsync(cancellationToken);
                continue;
            }

            if (last is null || published.Id > last)
            {
                last = published.Id;
                subscription.LastId = last;
                yield return published;
            }
        }
    }

    /// <summary>
    /// Subscribes over the socket, waiting while the service cannot be reached (it is starting, or restarting), as a
    /// stream that drops later does; a refusal (a topic that is not a pattern) is thrown at once.
    /// </summary>
    private Task<SocketSubscription> SubscribeOnSocketAsync(IReadOnlyList<string> topics, long? lastEventId, CancellationToken cancellationToken) =>
        WhenReachableAsync(token => _client.Socket.SubscribeAsync(topics, lastEventId, token), cancellationToken);

    /// <summary>The socket opened again after a drop (which re-subscribes), waiting while the service is away.</summary>
    private Task ReconnectAsync(CancellationToken cancellationToken) =>
        WhenReachableAsync(async token =>
        {
            await _client.Socket.OpenAsync(token);
            return true;
        }, cancellationToken);

    /// <summary>Tries <paramref name="attempt"/> until the service answers it, waiting longer each time (up to 5 s).</summary>
    private static async Task<T> WhenReachableAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (TesseraTransportException)
            {
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
    }

    /// <summary>Reads the text/event-stream format line by line: <c>id:</c>, <c>event:</c>, <c>data:</c>, a blank line
    /// ends an event, and lines starting with <c>:</c> are comments.</summary>
    private sealed class SseParser
    {
        private readonly StringBuilder _data = new();
        private string? _id;
        private string? _event;

        public TesseraEvent? Feed(string line)
        {
            if (line.Length == 0)
            {
                TesseraEvent? complete = null;
                if (_data.Length > 0 && long.TryParse(_id, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    using var document = JsonDocument.Parse(_data.ToString());
                    complete = new TesseraEvent(id, _event ?? "message", document.RootElement.Clone());
                }

                _data.Clear();
                _id = null;
                _event = null;
                return complete;
            }

            if (line[0] == ':')
            {
                return null;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    _id = value;
                    break;
                case "event":
                    _event = value;
                    break;
                case "data":
                    if (_data.Length > 0)
                    {
                        _data.Append('\n');
                    }

                    _data.Append(value);
                    break;
            }

            return null;
        }
    }
}
