using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Auth;
using Tessera.Auth.Sessions;
using Tessera.Auth.Signing;
using Tessera.Errors;

namespace Tessera.Wires.Http;

/// <summary>
/// Sends a buffered answer on any HTTP wire: the session cookie the caller's calls decided (once per response), and
/// the <c>x-toto-hmac</c> signature when a signing mode is on and the request has a session. Every HTTP wire answers
/// through here, so signing cannot be bypassed by choosing another protocol.
/// </summary>
internal sealed class ResponseSender(IServiceProvider services)
{
    private readonly RequestSignatures? _signatures = services.GetService<RequestSignatures>();

    /// <summary>Whether request bodies must be kept for signature checks.</summary>
    public bool KeepsRawBody => _signatures is { Mode: not HmacMode.Off };

    public async Task SendAsync(HttpContext http, Caller caller, int statusCode, string contentType, ReadOnlyMemory<byte> body, bool headOnly = false)
    {
        var response = http.Response;
        SessionManager.ApplyCookie(caller);
        ApplyRetryAfter(caller);
        if (_signatures?.SignResponse(caller.Session, caller.RequestNonce, body.Span) is { } signature)
        {
            response.Headers[RequestSignatures.SignatureHeader] = signature;
        }

        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!headOnly && body.Length > 0)
        {
            await response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    /// <summary>An answer without a body (a notification, a void result): status and cookie only.</summary>
    public static void SendEmpty(HttpContext http, Caller caller, int statusCode)
    {
        SessionManager.ApplyCookie(caller);
        ApplyRetryAfter(caller);
        http.Response.StatusCode = statusCode;
        http.Response.ContentLength = 0;
    }

    /// <summary>A throttled call (error 1014) tells the client when to come back, on every HTTP wire alike.</summary>
    private static void ApplyRetryAfter(Caller caller)
    {
        if (caller.RetryAfter is { } wait)
        {
            caller.Http.Response.Headers.RetryAfter = ErrorTable.RetryAfterSeconds(wait).ToString(CultureInfo.InvariantCulture);
        }
    }
}
