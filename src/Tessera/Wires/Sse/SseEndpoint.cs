using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
    IHostApplicationLifetime lifetime,
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

        var queue = Channel.CreateBounded<EventMessage>(new BoundedChannelOptions(_options.EventQueueCapacity) { SingleReader = true });
        using var tooSlow = new CancellationTokenSource();
        var subscriptions = subscriber.Patterns
            .Select(pattern => bus.AddInline(pattern, subscriber.UserId, trusted: false, once: false, message =>
            {
                if (!queue.Writer.TryWrite(message))
                {
                    tooSlow.Cancel();
                }
            }))
            .ToList();
        try
        {
            await StreamAsync(http, subscriber, queue.Reader, tooSlow.Token);
        }
        finally
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }

    private async Task StreamAsync(HttpContext http, EventSubscriber subscriber, ChannelReader<EventMessage> queue, CancellationToken tooSlow)
    {
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        using var finished = new CancellationTokenSource();
        // A cut-off client is told why once its pending writes drain; one that never reads again is dropped.
        using var stuck = tooSlow.Register(() => _ = AbortIfStuckAsync(http, finished.Token));
        try
        {
            await WriteAsync(response, "retry: 2000\n\n", stop.Token);
            var lastSent = 0L;
            if (LastEventId(http.Request) is { } resumeAfter)
            {
                // Subscribed first, then the backlog: nothing published in between is lost; duplicates are skipped by id.
                foreach (var missed in await bus.BacklogAsync(resumeAfter, subscriber.Sees, stop.Token))
                {
                    lastSent = await SendAsync(response, subscriber, missed, stop.Token);
                }
            }

            await RelayAsync(response, subscriber, queue, lastSent, stop.Token, tooSlow);
            if (tooSlow.IsCancellationRequested && !stop.IsCancellationRequested)
            {
                Log.SlowConsumer(logger, "Server-Sent Events", _options.EventQueueCapacity);
                await WriteAsync(response, $": disconnected: more than {_options.EventQueueCapacity} events waiting; reconnect with Last-Event-ID to resume\n\n", stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client left or the server is stopping.
        }
        finally
        {
            await finished.CancelAsync();
        }
    }

    /// <summary>Sends queued events until the stream ends or the client is cut off, with keep-alives when idle.</summary>
    private async Task RelayAsync(HttpResponse response, EventSubscriber subscriber, ChannelReader<EventMessage> queue, long lastSent, CancellationToken stop, CancellationToken tooSlow)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stop, tooSlow);
        var heartbeat = TimeSpan.FromSeconds(_options.EventHeartbeat);
        Task<bool>? pending = null;
        Task? beat = null;
        while (!waiting.IsCancellationRequested)
        {
            // One read stays pending across heartbeats, so idle streams do not pile up waiters; and one heartbeat
            // timer runs across events, so a busy stream does not start a timer per event.
            pending ??= queue.WaitToReadAsync(waiting.Token).AsTask();
            beat ??= Task.Delay(heartbeat, waiting.Token);
            if (await Task.WhenAny(pending, beat) != pending)
            {
                beat = null;
                if (!waiting.IsCancellationRequested)
                {
                    await WriteAsync(response, ": keep-alive\n\n", stop);
                }

                continue;
            }

            if (!pending.IsCompletedSuccessfully || !await pending)
            {
                return;
            }

            pending = null;
            // Writes are never cancelled for slowness, only checked between events: a cancelled write would reset
            // the connection before the client could read why.
            while (!tooSlow.IsCancellationRequested && queue.TryRead(out var message))
            {
                if (message.Id > lastSent)
                {
                    lastSent = await SendAsync(response, subscriber, message, stop);
                }
            }
        }
    }

    private static async Task AbortIfStuckAsync(HttpContext http, CancellationToken finished)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(10), finished);
            http.Abort();
        }
        catch (OperationCanceledException)
        {
            // The stream ended by itself.
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
