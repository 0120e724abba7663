using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Auth;
using Tessera.Auth.Sessions;
using Tessera.Wires.Http;

namespace Tessera.Wires.WebSockets;

/// <summary>
/// The WebSocket endpoint (<c>/ws</c>): checks the origin, identifies the caller from its session (header, cookie or
/// <c>session_id</c> query parameter), accepts the socket with keep-alive pings and hands it to a connection.
/// </summary>
internal sealed class WebSocketEndpoint(IOptions<EventOptions> options, IServiceProvider services)
{
    private readonly EventOptions _options = options.Value;
    private readonly string[] _allowedOrigins = options.Value.AllowedOrigins
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private readonly SessionManager? _sessions = services.GetService<SessionManager>();

    public async Task HandleAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await PlainAsync(http, StatusCodes.Status400BadRequest, "This endpoint speaks WebSocket: connect to it with ws:// or wss://.");
            return;
        }

        if (!OriginAllowed(http.Request))
        {
            await PlainAsync(http, StatusCodes.Status403Forbidden, $"Origin '{http.Request.Headers.Origin}' may not open a WebSocket here.");
            return;
        }

        // The caller is resolved once, at the upgrade, for every call the socket carries (as SignalR captures its user).
        var caller = new Caller(http, Transports.WebSocket, isSocket: true, allowsQueryId: true);
        var userId = await EventSubscriber.UserOfAsync(caller, _sessions);
        var heartbeat = TimeSpan.FromSeconds(_options.EventHeartbeat);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = heartbeat,
            KeepAliveTimeout = heartbeat * 2,
        });
        var connection = ActivatorUtilities.CreateInstance<WebSocketConnection>(services, caller, socket, userId ?? string.Empty);
        await connection.RunAsync();
    }

    private bool OriginAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || _allowedOrigins.Contains("*"))
        {
            return true;
        }

        return (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase))
            || _allowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }

    private static Task PlainAsync(HttpContext http, int statusCode, string message)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(message, http.RequestAborted);
    }
}
