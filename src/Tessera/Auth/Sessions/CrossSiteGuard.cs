using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Tessera.Auth.Sessions;

/// <summary>
/// Cross-site request forgery protection for cookie sessions. A browser attaches the session cookie to requests that
/// other pages start (a form posted from a sibling subdomain, a link), so a request may use or set that cookie only
/// when it is not a cross-origin browser request, or comes from an origin listed in <c>cors_origin</c>, or carries the
/// page's antiforgery token in <c>X-CSRF-Token</c>. Sessions named by the <c>x-toto-session-id</c> header need none
/// of this: another site's page cannot set that header without a CORS preflight.
/// </summary>
/// <remarks>
/// The decision follows the Fetch Metadata approach (as Go's <c>http.CrossOriginProtection</c> does): safe verbs pass;
/// <c>Sec-Fetch-Site: same-origin</c> or <c>none</c> (typed by the user) passes; without <c>Sec-Fetch-Site</c>, an
/// <c>Origin</c> equal to the request's own passes, and a request with neither header is not a browser's (browsers
/// send <c>Origin</c> on every cross-origin POST) and passes.
/// </remarks>
internal sealed class CrossSiteGuard
{
    public const string TokenHeader = "X-CSRF-Token";

    private readonly HashSet<string> _trusted;
    private readonly IDataProtector _protector;

    /// <param name="trustedOrigins">Origins whose pages may call with the cookie (<c>cors_origin</c>'s list; <c>*</c> is ignored).</param>
    /// <param name="protection">Keys for the antiforgery tokens, shared by instances that share Data Protection keys.</param>
    public CrossSiteGuard(IEnumerable<string> trustedOrigins, IDataProtectionProvider protection)
    {
        _trusted = new HashSet<string>(
            trustedOrigins.Select(origin => origin.Trim().TrimEnd('/')).Where(origin => origin is not ("*" or "")),
            StringComparer.OrdinalIgnoreCase);
        _protector = protection.CreateProtector("Tessera.Sessions.CrossSiteToken");
    }

    /// <summary>True when the request may use or set the session cookie <paramref name="sessionId"/> (null: none yet).</summary>
    public bool Allows(HttpRequest request, string? sessionId)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return true;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();
        if (site is "same-origin" or "none")
        {
            return true;
        }

        if (site.Length == 0 && (origin.Length == 0 || IsOwnOrigin(request, origin)))
        {
            return true;
        }

        return (origin.Length > 0 && _trusted.Contains(origin)) || HasValidToken(request, sessionId);
    }

    /// <summary>The antiforgery token of a cookie session: a page of the service reads it and sends it back in a header.</summary>
    public string TokenFor(string sessionId) => Convert.ToBase64String(_protector.Protect(Fingerprint(sessionId)));

    private bool HasValidToken(HttpRequest request, string? sessionId)
    {
        var token = request.Headers[TokenHeader].ToString();
        if (sessionId is null || token.Length == 0)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(_protector.Unprotect(Convert.FromBase64String(token)), Fingerprint(sessionId));
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            return false;
        }
    }

    private static byte[] Fingerprint(string sessionId) => SHA256.HashData(Encoding.UTF8.GetBytes(sessionId));

    // The authority alone: behind a proxy that terminates TLS the request's own scheme is http while the page's is https.
    private static bool IsOwnOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
