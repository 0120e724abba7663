using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Client;

/// <summary>
/// Signs requests and checks signed answers in the modes of docs/protocol.md section 6, byte for byte as the server
/// computes them. Answers are compared in constant time; a missing or wrong answer signature is error 1009.
/// </summary>
internal sealed class RequestSigner(TesseraSigning mode, TimeProvider time)
{
    public const string SignatureHeader = "x-toto-hmac";
    private const string TimestampHeader = "x-tessera-timestamp";
    private const string NonceHeader = "x-tessera-nonce";

    public TesseraSigning Mode => mode;

    /// <summary>Adds the signature headers; answers the nonce the answer's signature will cover (signed mode).</summary>
    public string? Sign(HttpRequestMessage request, SessionState? session, ReadOnlySpan<byte> body)
    {
        if (session is null)
        {
            return null;
        }

        switch (mode)
        {
            case TesseraSigning.Legacy when session.UserId is { } userId:
                request.Headers.Add(SignatureHeader, Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(userId.ToLowerInvariant()), body)));
                return null;
            case TesseraSigning.Toto when session.Key is { } key:
                var target = Encoding.UTF8.GetBytes(request.Method.Method + request.RequestUri!.PathAndQuery);
                byte[] message = [.. target, .. body];
                request.Headers.Add(SignatureHeader, Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), message)));
                return null;
            case TesseraSigning.Signed when session.Key is { } key:
                var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                var nonce = Base64Url(RandomNumberGenerator.GetBytes(18));
                var uri = request.RequestUri!;
                var canonical = string.Join('\n', request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'),
                    ContentType(request.Content?.Headers.ContentType), session.Id, timestamp, nonce, Convert.ToHexStringLower(SHA256.HashData(body)));
                request.Headers.Add(TimestampHeader, timestamp);
                request.Headers.Add(NonceHeader, nonce);
                request.Headers.Add(SignatureHeader, Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(canonical))));
                return nonce;
            default:
                return null;
        }
    }

    /// <summary>Whether this answer must carry a signature: the server signs every answer to a signed session's call.</summary>
    public bool ExpectsSignedAnswer(SessionState? session, string? nonce) => mode switch
    {
        TesseraSigning.Legacy => session?.UserId is not null,
        TesseraSigning.Toto => session?.Key is not null,
        TesseraSigning.Signed => session?.Key is not null && nonce is not null,
        _ => false,
    };

    public bool AnswerMatches(string? header, SessionState session, string? nonce, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        byte[] expected = mode switch
        {
            TesseraSigning.Legacy => HMACSHA1.HashData(Encoding.UTF8.GetBytes(session.UserId!.ToLowerInvariant()), body),
            TesseraSigning.Toto => HMACSHA1.HashData(Encoding.UTF8.GetBytes(session.Key!), (byte[])[.. Encoding.UTF8.GetBytes(session.Id), .. body]),
            _ => HMACSHA256.HashData(Encoding.UTF8.GetBytes(session.Key!),
                Encoding.UTF8.GetBytes($"tessera-response\n{nonce}\n{Convert.ToHexStringLower(SHA256.HashData(body))}")),
        };
        Span<byte> presented = stackalloc byte[64];
        return Convert.TryFromBase64String(header, presented, out var written)
            && CryptographicOperations.FixedTimeEquals(presented[..written], expected);
    }

    private static string ContentType(MediaTypeHeaderValue? type) => type?.ToString() ?? "";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
