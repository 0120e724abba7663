using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Tessera.Wires.Http;

/// <summary>
/// Toto's CORS behaviour, made safe for credentials: every answer names the allowed origin and exposes
/// <c>x-toto-hmac</c>, without which a browser client silently skips verifying response signatures. <c>cors_origin</c>
/// is <c>*</c> (any origin, never with credentials: Toto's default), a comma-separated allow-list (those origins, with
/// credentials), or both (<c>*</c> for the rest, without). An origin is reflected only when listed, never because it
/// asked. ASP.NET Core's CORS middleware answers only requests that carry an Origin header, which is not what Toto's
/// clients expect, so this endpoint sets the headers itself.
/// </summary>
internal sealed class TotoCors
{
    public const string AllowedMethods = "GET, HEAD, POST, OPTIONS";
    private const string AllowedHeaders = "x-toto-hmac, x-toto-session-id, x-csrf-token, origin, content-type";

    private readonly bool _any;
    private readonly HashSet<string> _listed;

    public TotoCors(IOptions<TesseraOptions> options)
    {
        var origins = options.Value.CorsOrigin.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        _any = origins.Contains("*");
        _listed = new HashSet<string>(origins.Where(o => o != "*").Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
    }

    public void Apply(HttpRequest request, HttpResponse response)
    {
        var origin = request.Headers.Origin.ToString();
        if (_listed.Count > 0)
        {
            response.Headers.Vary = "Origin";
        }

        if (origin.Length > 0 && _listed.Contains(origin))
        {
            response.Headers.AccessControlAllowOrigin = origin;
            response.Headers.AccessControlAllowCredentials = "true";
        }
        else if (_any)
        {
            response.Headers.AccessControlAllowOrigin = "*";
        }
        else
        {
            return;
        }

        response.Headers.AccessControlExposeHeaders = "x-toto-hmac";
    }

    public static void ApplyPreflight(HttpRequest request, HttpResponse response)
    {
        if (response.Headers.AccessControlAllowOrigin.Count == 0)
        {
            return;
        }

        response.Headers.AccessControlAllowMethods = AllowedMethods;
        var requested = request.Headers.AccessControlRequestHeaders.ToString();
        response.Headers.AccessControlAllowHeaders = requested.Length == 0 ? AllowedHeaders : AllowedHeaders + ", " + requested;
    }
}
