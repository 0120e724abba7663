using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Tessera.Errors;
using Tessera.Stores;

namespace Tessera.Auth.Signing;

/// <summary>
/// Checks request signatures when a request loads a session, and signs responses, in the mode the <c>hmac</c> option
/// names (docs/protocol.md section 1). Every comparison is constant-time; a signed-mode request is checked for its MAC
/// before its nonce is spent, so forged requests cannot burn nonces.
/// </summary>
internal sealed class RequestSignatures(IOptions<SecurityOptions> options, INonceStore nonces, TimeProvider time)
{
    public const string SignatureHeader = "x-toto-hmac";
    public const string TimestampHeader = "x-tessera-timestamp";
    public const string NonceHeader = "x-tessera-nonce";

    private readonly HmacMode _mode = options.Value.Hmac;
    private readonly TimeSpan _window = TimeSpan.FromSeconds(options.Value.SignatureWindow);

    public HmacMode Mode => _mode;

    /// <summary>Whether sessions created at login carry a per-session key (the toto and signed modes).</summary>
    public bool UsesSessionKeys => _mode is HmacMode.Toto or HmacMode.Signed;

    public async ValueTask<MethodError?> VerifyAsync(Caller caller, Session session, CancellationToken cancellationToken)
    {
        var http = caller.Http;
        var header = http.Request.Headers[SignatureHeader].ToString();
        switch (_mode)
        {
            case HmacMode.Legacy when header.Length > 0 && session.UserId is { } userId:
                return Matches(header, HMACSHA1.HashData(Encoding.UTF8.GetBytes(userId.ToLowerInvariant()), caller.RawBody.Span))
                    ? null
                    : ErrorTable.InvalidSignature();
            case HmacMode.Toto when session.Record.SigningKey is { } key:
                var message = Concat(Encoding.UTF8.GetBytes(http.Request.Method + RequestTarget(http)), caller.RawBody.Span);
                return header.Length > 0 && Matches(header, HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), message))
                    ? null
                    : ErrorTable.InvalidSignature();
            case HmacMode.Signed when session.Record.SigningKey is { } key:
                return await VerifySignedAsync(caller, session, key, header, cancellationToken);
            default:
                return null;
        }
    }

    /// <summary>The <c>x-toto-hmac</c> value for a response body, or null when this answer is not signed.</summary>
    public string? SignResponse(Session? session, string? requestNonce, ReadOnlySpan<byte> body)
    {
        switch (_mode)
        {
            case HmacMode.Legacy when session?.UserId is { } userId:
                return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(userId.ToLowerInvariant()), body));
            case HmacMode.Toto when session?.Record.SigningKey is { } key:
                return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), Concat(Encoding.UTF8.GetBytes(session.Id), body)));
            case HmacMode.Signed when session?.Record.SigningKey is { } key && requestNonce is { } nonce:
                var canonical = $"tessera-response\n{nonce}\n{Convert.ToHexStringLower(SHA256.HashData(body))}";
                return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(canonical)));
            default:
                return null;
        }
    }

    /// <summary>
    /// The string a signed-mode client signs: method, path, query (without <c>?</c>), content type, session id,
    /// timestamp, nonce and the hex SHA-256 of the body, one per line.
    /// </summary>
    public static string CanonicalRequest(string method, string path, string query, string contentType, string sessionId,
        string timestamp, string nonce, ReadOnlySpan<byte> body) =>
        string.Join('\n', method, path, query, contentType, sessionId, timestamp, nonce, Convert.ToHexStringLower(SHA256.HashData(body)));

    private async ValueTask<MethodError?> VerifySignedAsync(
        Caller caller, Session session, string key, string header, CancellationToken cancellationToken)
    {
        var request = caller.Http.Request;
        var timestamp = request.Headers[TimestampHeader].ToString();
        var nonce = request.Headers[NonceHeader].ToString();
        if (header.Length == 0 || nonce.Length is < 16 or > 128
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return ErrorTable.InvalidSignature();
        }

        var canonical = CanonicalRequest(request.Method, request.PathBase + request.Path, request.QueryString.Value?.TrimStart('?') ?? "",
            request.ContentType ?? "", session.Id, timestamp, nonce, caller.RawBody.Span);
        if (!Matches(header, HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(canonical))))
        {
            return ErrorTable.InvalidSignature();
        }

        var now = time.GetUtcNow();
        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if ((now - sent).Duration() > _window)
        {
            return ErrorTable.InvalidSignature();
        }

        // A nonce is remembered past the window on both sides, so no replay can fall outside its memory.
        if (!await nonces.TryAddAsync("sig:" + nonce, sent + _window + _window, cancellationToken))
        {
            return ErrorTable.InvalidSignature();
        }

        caller.RequestNonce = nonce;
        return null;
    }

    private static string RequestTarget(HttpContext http) =>
        http.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : http.Request.PathBase + http.Request.Path + http.Request.QueryString;

    private static bool Matches(string header, byte[] expected)
    {
        Span<byte> presented = stackalloc byte[64];
        return Convert.TryFromBase64String(header, presented, out var written)
            && CryptographicOperations.FixedTimeEquals(presented[..written], expected);
    }

    private static byte[] Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var result = new byte[first.Length + second.Length];
        first.CopyTo(result);
        second.CopyTo(result.AsSpan(first.Length));
        return result;
    }
}
