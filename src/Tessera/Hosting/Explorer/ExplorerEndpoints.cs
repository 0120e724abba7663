using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tessera.Dispatch;
using Tessera.Observability;

namespace Tessera.Hosting.Explorer;

/// <summary>
/// The explorer at <c>/_tessera/</c>: three files embedded in this assembly (no CDN, works offline) served with a
/// Content-Security-Policy that allows nothing but this origin (no inline script or style, no framing), and
/// <c>/_tessera/metrics.json</c>, the per-method figures of <see cref="MethodMetrics"/>. When it is off, its paths
/// answer 404 saying how to turn it on, and no metrics are gathered.
/// </summary>
internal static class ExplorerEndpoints
{
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        [""] = ("index.html", "text/html; charset=utf-8"),
        ["explorer.js"] = ("explorer.js", "text/javascript; charset=utf-8"),
        ["explorer.css"] = ("explorer.css", "text/css; charset=utf-8"),
    };

    public static bool IsEnabled(IServiceProvider services)
    {
        var setting = services.GetRequiredService<IOptions<ExplorerOptions>>().Value.Explorer.Trim().ToLowerInvariant();
        return setting == "on" || (setting == "auto" && services.GetRequiredService<IWebHostEnvironment>().IsDevelopment());
    }

    public static void Map(RouteGroupBuilder group, IServiceProvider services)
    {
        if (!IsEnabled(services))
        {
            var off = Results.Text(
                "The explorer is off: start the service with --explorer=on (it is on in Development).", statusCode: StatusCodes.Status404NotFound);
            group.MapGet("/_tessera/{file?}", off.ExecuteAsync).WithDisplayName("Tessera explorer (off)");
            return;
        }

        var metrics = services.GetRequiredService<MethodMetrics>();
        var json = services.GetRequiredService<TesseraJson>();
        var files = Assets.ToDictionary(pair => pair.Key, pair => (Load(pair.Value.Resource), pair.Value.ContentType), StringComparer.Ordinal);

        // Request delegates rather than handlers with parameters: those cost the request delegate factory's reflection
        // and compiled expressions on the first request of every process, explorer used or not.
        group.MapGet("/_tessera/{file?}", http =>
        {
            var file = http.Request.RouteValues["file"] as string;

            // The page's links are relative: /_tessera must become /_tessera/ so they resolve under it.
            if (file is null && !http.Request.Path.Value!.EndsWith('/'))
            {
                return Results.Redirect(http.Request.PathBase + http.Request.Path + "/" + http.Request.QueryString).ExecuteAsync(http);
            }

            if (!files.TryGetValue(file ?? "", out var asset))
            {
                return Results.NotFound().ExecuteAsync(http);
            }

            http.Response.Headers.ContentSecurityPolicy = Policy;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(asset.Item1, asset.ContentType).ExecuteAsync(http);
        }).WithDisplayName("Tessera explorer");

        group.MapGet("/_tessera/metrics.json", http =>
        {
            http.Response.Headers.CacheControl = "no-store";
            var methods = metrics.Snapshot().ToDictionary(
                pair => pair.Key,
                pair => pair.Value.Select(s => new ExplorerFigures(s.Calls, s.Errors, s.P50, s.P99)).ToArray(),
                StringComparer.Ordinal);
            return Results.Json(new ExplorerMetrics(MethodMetrics.Seconds, methods), json.ResultInfo<ExplorerMetrics>()).ExecuteAsync(http);
        }).WithDisplayName("Tessera explorer metrics");
    }

    private static byte[] Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Tessera.Explorer." + name)
            ?? throw new InvalidOperationException($"The explorer's {name} is not embedded in Tessera.dll.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
