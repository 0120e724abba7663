using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Auth;
using Tessera.Auth.Sessions;
using Tessera.Events;
using Tessera.Observability;
using Tessera.Wires.Http;

namespace Tessera.Wires.Sse;

/// <summary>
/// Server-Sent Events at <c>/events?topics=a,b</c>: <c>id</c>, <c>event</c> (the topic) and JSON <c>data</c> per event,
/// keep-alive comments, and resumption from <c>Last-Event-ID</c> out of the event log. Each stream has a bounded queue;
/// a client that falls too far behind is told why and disconnected, and can resume.
/// </summary>
internal sealed class SseEndpoint(
    EventBus bus,
    ITopicPolicy policy,
    TotoCors cors,
    IOptions<EventOptions> options,
    SseStreams streams,
    IServiceProvider services,
    ILogger<SseEndpoint> logger)
{
    private readonly EventOptions _options = options.Value;
    private readonly SessionManager? _sessions = services.GetService<SessionManager>();

    public async Task HandleAsync(HttpContext http)
    {
        cors.Apply(http.Request, http.Response);
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            http.Response.Headers.Allow = "GET";
            await PlainAsync(http, StatusCodes.Status405MethodNotAllowed, "Server-Sent Events are read with GET.");
            return;
        }

        var caller = new Caller(http, "sse", allowsQueryId: true);
        var subscriber = await EventSubscriber.OpenAsync(caller, _sessions, policy, http.Request.Query["topics"].ToString().Split(','));
        if (subscriber.Refusal is { } refusal)
        {
            await PlainAsync(http, refusal.StatusCode, refusal.Message);
            return;
        }

        var stream = streams.Open(_options.EventQueueCapacity);
        // A cut-off client is told why once its pending writes drain; one that never reads again is dropped.
        stream.WhenCutOff = () => _ = AbortIfStuckAsync(http, stream);
        var subscriptions = new List<IDisposable>(subscriber.Patterns.Count);
        try
        {
            foreach (var pattern in subscriber.Patterns)
            {
                subscriptions.Add(bus.AddInline(pattern, subscriber.UserId, trusted: false, once: false, stream.Offer));
            }

            await using var leaving = http.RequestAborted.UnsafeRegister(static state => ((SseStream)state!).End(), stream);
            await StreamAsync(http, subscriber, stream);
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
            streams.Close(stream);
        }
    }

    private async Task StreamAsync(HttpContext http, EventSubscriber subscriber, SseStream stream)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        // Writes stop only when the client leaves: a write cancelled for slowness would reset the connection before the
        // client could read why it was cut off.
        var aborted = http.RequestAborted;
        try
        {
            await WriteAsync(response, "retry: 2000\n\n", aborted);
            var lastSent = 0L;
            if (LastEventId(http.Request) is { } resumeAfter)
            {
                // Subscribed first, then the backlog: nothing published in between is lost; duplicates are skipped by id.
                foreach (var missed in await bus.BacklogAsync(resumeAfter, subscriber.Sees, aborted))
                {
                    lastSent = await SendAsync(response, subscriber, missed, aborted);
                }
            }

            await RelayAsync(response, subscriber, stream, lastSent, aborted);
            if (stream.CutOff && !aborted.IsCancellationRequested)
            {
                Log.SlowConsumer(logger, "Server-Sent Events", _options.EventQueueCapacity);
                await WriteAsync(response, $": disconnected: more than {_options.EventQueueCapacity} events waiting; reconnect with Last-Event-ID to resume\n\n", aborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client left.
        }
    }

    /// <summary>Sends queued events and keep-alives until the stream ends or the client is cut off.</summary>
    private static async Task RelayAsync(HttpResponse response, EventSubscriber subscriber, SseStream stream, long lastSent, CancellationToken aborted)
    {
        var queue = stream.Reader;
        while (await queue.WaitToReadAsync(CancellationToken.None))
        {
            // The queue is only checked between writes: a client cut off mid-write hears why once that write is done.
            while (!stream.CutOff && queue.TryRead(out var message))
            {
                if (stream.IsHeartbeat(message))
                {
                    await WriteAsync(response, ": keep-alive\n\n", aborted);
                }
                else if (message.Id > lastSent)
                {
                    lastSent = await SendAsync(response, subscriber, message, aborted);
                }
            }

            if (stream.CutOff)
            {
                return;
            }
        }
    }

    private static async Task AbortIfStuckAsync(HttpContext http, SseStream stream)
    {
        await Task.Delay(TimeSpan.FromSeconds(10));
        if (!stream.Closed)
        {
            http.Abort();
        }
    }

    private static async Task<long> SendAsync(HttpResponse response, EventSubscriber subscriber, EventMessage message, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(SseFrames.For(message, subscriber.Present(message.Topic)), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
        return message.Id;
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static long? LastEventId(HttpRequest request)
    {
        var value = request.Headers["Last-Event-ID"].ToString();
        if (value.Length == 0)
        {
            value = request.Query["last_event_id"].ToString();
        }

        return long.TryParse(value, out var id) && id >= 0 ? id : null;
    }

    private static Task PlainAsync(HttpContext http, int statusCode, string message)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(message, http.RequestAborted);
    }
}
