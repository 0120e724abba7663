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
    // Sent as they are by every stream: Kestrel copies what is written, so one array serves all.
    private static readonly ReadOnlyMemory<byte> Retry = "retry: 2000\n\n"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> KeepAlive = ": keep-alive\n\n"u8.ToArray();

    private readonly EventOptions _options = options.Value;
    private readonly SessionManager? _sessions = services.GetService<SessionManager>();

    public Task HandleAsync(HttpContext http)
    {
        cors.Apply(http.Request, http.Response);
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            http.Response.Headers.Allow = "GET";
            return PlainAsync(http, StatusCodes.Status405MethodNotAllowed, "Server-Sent Events are read with GET.");
        }

        var caller = new Caller(http, "sse", allowsQueryId: true);
        var opening = EventSubscriber.OpenAsync(caller, _sessions, policy, caller.Query("topics"));
        // Most streams open without waiting (no session, or one found at once): they then keep one async state machine
        // for as long as they stay open, not one per nested method (each about 170 bytes, held for hours).
        return opening.IsCompletedSuccessfully ? ServeAsync(caller, opening.Result) : OpenThenServeAsync(caller, opening);
    }

    private async Task OpenThenServeAsync(Caller caller, ValueTask<EventSubscriber> opening) =>
        await ServeAsync(caller, await opening);

    private Task ServeAsync(Caller caller, EventSubscriber subscriber) => subscriber.Refusal is { } refusal
        ? PlainAsync(caller.Http, refusal.StatusCode, refusal.Message)
        : StreamAsync(caller.Http, subscriber, LastEventId(caller));

    /// <summary>
    /// Subscribes the stream, then sends the backlog a resuming client missed, queued events and keep-alives until the
    /// client leaves or is cut off for falling behind.
    /// </summary>
    private async Task StreamAsync(HttpContext http, EventSubscriber subscriber, long? resumeAfter)
    {
        // A cut-off client is told why once its pending writes drain; one that never reads again is dropped.
        var stream = streams.Open(_options.EventQueueCapacity, static (stream, http) => _ = AbortIfStuckAsync((HttpContext)http, stream), http);
        var subscriptions = new IDisposable?[subscriber.Patterns.Count];
        try
        {
            for (var i = 0; i < subscriptions.Length; i++)
            {
                subscriptions[i] = bus.AddInline(
                    subscriber.Patterns[i], subscriber.UserId, trusted: false, once: false, static (stream, message) => ((SseStream)stream).Offer(message), stream);
            }

            await using var leaving = http.RequestAborted.UnsafeRegister(static state => ((SseStream)state!).End(), stream);
            var response = http.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            // Writes stop only when the client leaves: a write cancelled for slowness would reset the connection before
            // the client could read why it was cut off.
            var aborted = http.RequestAborted;
            try
            {
                await WriteAsync(response, Retry, aborted);
                var lastSent = 0L;
                if (resumeAfter is { } after)
                {
                    // Subscribed first, then the backlog: nothing published in between is lost; duplicates are skipped by id.
                    foreach (var missed in await bus.BacklogAsync(after, subscriber.Sees, aborted))
                    {
                        lastSent = await SendAsync(response, subscriber, missed, aborted);
                    }
                }

                // The queue is only checked between writes: a client cut off mid-write hears why once that write is done.
                while (!stream.CutOff && await stream.WaitToReadAsync())
                {
                    while (!stream.CutOff && stream.TryRead(out var message))
                    {
                        if (stream.IsHeartbeat(message))
                        {
                            await WriteAsync(response, KeepAlive, aborted);
                        }
                        else if (message.Id > lastSent)
                        {
                            lastSent = await SendAsync(response, subscriber, message, aborted);
                        }
                    }
                }

                if (stream.CutOff && !aborted.IsCancellationRequested)
                {
                    Log.SlowConsumer(logger, "Server-Sent Events", _options.EventQueueCapacity);
                    var why = $": disconnected: more than {_options.EventQueueCapacity} events waiting; reconnect with Last-Event-ID to resume\n\n";
                    await WriteAsync(response, Encoding.UTF8.GetBytes(why), aborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The client left.
            }
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                subscription?.Dispose();
            }

            streams.Close(stream);
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

    private static async Task WriteAsync(HttpResponse response, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(bytes, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>The id of the last event a resuming client saw (<c>Last-Event-ID</c>, or a query parameter), or null.</summary>
    private static long? LastEventId(Caller caller)
    {
        var value = caller.Http.Request.Headers["Last-Event-ID"].ToString();
        if (value.Length == 0)
        {
            value = caller.Query("last_event_id");
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
