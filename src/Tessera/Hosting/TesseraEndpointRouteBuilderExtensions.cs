using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Auth.Sessions;
using Tessera.Discovery;
using Tessera.Dispatch;
using Tessera.Observability;
using Tessera.Serialization;
using Tessera.Wires.Http;
using Tessera.Wires.JsonRpc;
using Tessera.Wires.Sse;
using Tessera.Wires.Toto;
using Tessera.Wires.WebSockets;
using Tessera.Wires.XmlRpc;

namespace Tessera;

/// <summary>Maps Tessera's endpoints.</summary>
public static class TesseraEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every Tessera endpoint under the configured root and builds the method registry, so invalid methods or
    /// options fail here, at start-up, not on the first request.
    /// </summary>
    public static IEndpointConventionBuilder MapTessera(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<TesseraBuilder>() is null)
        {
            throw new InvalidOperationException(
                "Unable to find Tessera's services. Call 'builder.Services.AddTessera()' while configuring services, " +
                "before 'app.MapTessera()'.");
        }

        var options = services.GetRequiredService<IOptions<TesseraOptions>>().Value;
        var registry = services.GetRequiredService<MethodRegistry>();
        var toto = services.GetRequiredService<TotoEndpoint>();
        var jsonRpc = services.GetRequiredService<JsonRpcEndpoint>();
        var xmlRpc = services.GetRequiredService<XmlRpcEndpoint>();
        var sse = services.GetRequiredService<SseEndpoint>();
        var webSockets = services.GetRequiredService<WebSocketEndpoint>();

        var group = endpoints.MapGroup(options.Root.TrimEnd('/'));
        group.Map(options.JsonRpcPath, jsonRpc.HandleAsync).WithDisplayName("Tessera JSON-RPC 2.0");
        group.Map(options.XmlRpcPath, xmlRpc.HandleAsync).WithDisplayName("Tessera XML-RPC");
        group.Map("/events", sse.HandleAsync).WithDisplayName("Tessera Server-Sent Events");
        // WebSockets are enabled for this route alone, as SignalR's MapConnections does: no app.UseWebSockets() needed.
        var socketPipeline = endpoints.CreateApplicationBuilder();
        socketPipeline.UseWebSockets();
        socketPipeline.Run(webSockets.HandleAsync);
        group.Map("/ws", socketPipeline.Build()).WithDisplayName("Tessera WebSocket");
        group.MapGet("/_tessera/openrpc.json", (HttpContext http) =>
                http.Response.WriteAsJsonAsync(
                    services.GetRequiredService<OpenRpcDocument>().Document, services.GetRequiredService<TesseraJson>().ResultInfo<JsonElement>(), cancellationToken: http.RequestAborted))
            .WithDisplayName("Tessera OpenRPC document");
        group.MapGet("/_tessera/openapi.json", (HttpContext http) =>
                http.Response.WriteAsJsonAsync(
                    services.GetRequiredService<OpenApiDocument>().Document, services.GetRequiredService<TesseraJson>().ResultInfo<JsonElement>(), cancellationToken: http.RequestAborted))
            .WithDisplayName("Tessera OpenAPI document");
        group.MapGet("/_tessera/csrf", AntiforgeryToken).WithDisplayName("Tessera antiforgery token");
        Hosting.Explorer.ExplorerEndpoints.Map(group, services);
        Hosting.Health.HealthEndpoints.Map(group);
        if (services.GetRequiredService<IOptions<HostingOptions>>().Value.Metrics)
        {
            group.MapPrometheusScrapingEndpoint("/_tessera/metrics", services.GetRequiredService<Hosting.PrometheusExport>().Provider, null, null)
                .WithDisplayName("Tessera Prometheus metrics");
        }

        // The catch-all for URL-style calls has the lowest precedence of any route, so endpoints the app maps win,
        // and it steps aside for the app's static files (see NotAStaticFile).
        var callRoute = RoutePatternFactory.Parse("/{**path}", defaults: null,
            parameterPolicies: new RouteValueDictionary { ["path"] = new NotAStaticFile(services.GetRequiredService<IWebHostEnvironment>()) });
        group.Map(callRoute, toto.HandleAsync).WithDisplayName("Tessera Toto envelope");

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera");
        Log.Serving(logger, registry.Count, options.Root);
        return group;
    }

    /// <summary>
    /// <c>{"csrf_token"}</c> for the browser's cookie session, which a page of another origin cannot read (no CORS
    /// headers here): a page sends it back in <c>X-CSRF-Token</c> when it calls from an origin the service does not list.
    /// </summary>
    private static Task AntiforgeryToken(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        var sessions = http.RequestServices.GetService<SessionManager>();
        var answer = sessions?.CookieSessionId(http.Request) is { Length: > 0 } sessionId
            ? Results.Json(new Dictionary<string, string> { ["csrf_token"] = http.RequestServices.GetRequiredService<CrossSiteGuard>().TokenFor(sessionId) }, CommonJsonContext.Default.DictionaryStringString)
            : Results.Json(new Dictionary<string, string> { ["error"] = "No cookie session: sign in with use_cookies on first." }, CommonJsonContext.Default.DictionaryStringString, statusCode: StatusCodes.Status404NotFound);
        return answer.ExecuteAsync(http);
    }
}
