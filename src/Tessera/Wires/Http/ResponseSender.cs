using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Auth.Sessions;
using Tessera.Auth.Signing;

namespace Tessera.Wires.Http;

/// <summary>
/// Sends a buffered answer on any HTTP wire, signing it (<c>x-toto-hmac</c>) when a signing mode is on and the request
/// has a session, and keeps the request body for signature checks. Every wire goes through here, so signing cannot be
/// bypassed by choosing another protocol.
/// </summary>
internal sealed class ResponseSender(IServiceProvider services)
{
    private readonly RequestSignatures? _signatures = services.GetService<RequestSignatures>();

    /// <summary>Whether request bodies must be kept for signature checks.</summary>
    public bool KeepsRawBody => _signatures is { Mode: not HmacMode.Off };

    public void RememberRawBody(HttpContext http, ReadOnlyMemory<byte> body)
    {
        if (KeepsRawBody)
        {
            RequestSessionFeature.Of(http).RawBody = body;
        }
    }

    public async Task SendAsync(HttpContext http, int statusCode, string contentType, ReadOnlyMemory<byte> body, bool headOnly = false)
    {
        var response = http.Response;
        if (_signatures is not null && http.Features.Get<RequestSessionFeature>() is { } feature
            && _signatures.SignResponse(feature.Current, feature, body.Span) is { } signature)
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
}
