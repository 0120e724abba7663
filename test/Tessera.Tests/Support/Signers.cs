using System.Security.Cryptography;
using System.Text;

namespace Tessera.Tests.Support;

/// <summary>Signs requests the way each kind of client does, independently of the server's code.</summary>
public static class Signers
{
    /// <summary>TotoClient-JS: base64(HMAC-SHA1(key = lower-cased user id, message = the exact body)).</summary>
    public static Func<HttpRequestMessage, Task> Legacy(string userId) => async request =>
    {
        var body = await request.Content!.ReadAsByteArrayAsync();
        request.Headers.Add("x-toto-hmac", Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(userId.ToLowerInvariant()), body)));
    };

    /// <summary>Toto's later scheme: base64(HMAC-SHA1(session key, method + request target + body)).</summary>
    public static Func<HttpRequestMessage, Task> Toto(string key) => async request =>
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        var prefix = Encoding.UTF8.GetBytes(request.Method.Method + request.RequestUri!.OriginalString);
        request.Headers.Add("x-toto-hmac", Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), (byte[])[.. prefix, .. body])));
    };

    /// <summary>Tessera's signed mode, with knobs for the attacks the tests try.</summary>
    public static Func<HttpRequestMessage, Task> Signed(
        string key,
        string sessionId,
        Func<DateTimeOffset>? clock = null,
        string? nonce = null,
        Action<HttpRequestMessage>? afterSigning = null) => async request =>
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        var timestamp = (clock?.Invoke() ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString();
        var usedNonce = nonce ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var uri = new Uri(new Uri("http://localhost"), request.RequestUri!);
        var canonical = string.Join('\n',
            request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), request.Content?.Headers.ContentType?.ToString() ?? "",
            sessionId, timestamp, usedNonce, Convert.ToHexStringLower(SHA256.HashData(body)));
        request.Headers.Add("x-toto-hmac", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(canonical))));
        request.Headers.Add("x-tessera-timestamp", timestamp);
        request.Headers.Add("x-tessera-nonce", usedNonce);
        afterSigning?.Invoke(request);
    };

    public static string SignedResponse(string key, string nonce, string body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key),
            Encoding.UTF8.GetBytes($"tessera-response\n{nonce}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}")));
}
