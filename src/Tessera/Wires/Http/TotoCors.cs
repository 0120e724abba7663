using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Tessera.Wires.Http;

/// <summary>
/// Toto's CORS behaviour: every answer names the allowed origin and exposes <c>x-toto-hmac</c>, without which a
/// browser client silently skips verifying response signatures. ASP.NET Core's CORS middleware answers only
/// requests that carry an Origin header, which is not what Toto's clients expect, so this endpoint sets them itself.
/// </summary>
internal sealed class TotoCors(IOptions<TesseraOptions> options)
{
    public const string AllowedMethods = "GET, HEAD, POST, OPTIONS";
    private const string AllowedHeaders = "x-toto-hmac, x-toto-session-id, origin, content-type";

    private readonly string _origin = options.Value.CorsOrigin;

    public void Apply(HttpResponse response)
    {
        if (_origin.Length == 0)
        {
            return;
        }

        response.Headers.AccessControlAllowOrigin = _origin;
        response.Headers.AccessControlExposeHeaders = "x-toto-hmac";
    }

    public void ApplyPreflight(HttpRequest request, HttpResponse response)
    {
        if (_origin.Length == 0)
        {
            return;
        }

        response.Headers.AccessControlAllowMethods = AllowedMethods;
        var requested = request.Headers.AccessControlRequestHeaders.ToString();
        response.Headers.AccessControlAllowHeaders = requested.Length == 0 ? AllowedHeaders : AllowedHeaders + ", " + requested;
    }
}
