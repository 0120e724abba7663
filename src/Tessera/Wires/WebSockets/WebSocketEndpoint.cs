using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Auth.Sessions;
using Tessera.Events;

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
            var upgrading = http.Request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase);
            await PlainAsync(http, upgrading ? StatusCodes.Status500InternalServerError : StatusCodes.Status400BadRequest, upgrading
                ? "WebSockets are not enabled: call app.UseWebSockets() before app.MapTessera()."
                : "This endpoint speaks WebSocket: connect to it with ws:// or wss://.");
            return;
        }

        if (!OriginAllowed(http.Request))
        {
            await PlainAsync(http, StatusCodes.Status403Forbidden, $"Origin '{http.Request.Headers.Origin}' may not open a WebSocket here.");
            return;
        }

        var userId = await EventSubscriber.UserOfAsync(http, _sessions);
        var heartbeat = TimeSpan.FromSeconds(_options.EventHeartbeat);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = heartbeat,
            KeepAliveTimeout = heartbeat * 2,
        });
        var connection = ActivatorUtilities.CreateInstance<WebSocketConnection>(services, http, socket, userId ?? string.Empty);
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
