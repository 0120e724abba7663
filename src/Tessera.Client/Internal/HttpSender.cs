using System.Net.Http.Headers;
using System.Text.Json;

namespace Tessera.Client;

/// <summary>
/// Sends one request body to one path of the service and answers the body that came back: the session header, the API
/// token and the signature on the way out; the status and the answer's signature on the way back.
/// </summary>
internal sealed class HttpSender(HttpClient http, Uri baseAddress, TesseraClient client, RequestSigner signer)
{
    public const string SessionHeader = "x-toto-session-id";
    public const string ApiTokenHeader = "X-Api-Token";

    /// <summary>
    /// Bodies larger than a service's default limit (1 MiB) ask first, with <c>Expect: 100-continue</c>: a service that
    /// refuses the body answers 413 before it is sent, so nothing is uploaded for nothing and a body past the server's
    /// own limit still gets the service's answer instead of a closed connection. A service that takes the body asks
    /// for it at once (Kestrel sends 100 Continue when the body is first read); a server that ignores the header gets
    /// it after HttpClient's wait of one second.
    /// </summary>
    private const int AskFirstAbove = 1024 * 1024;

    // The two paths every call uses, parsed once.
    private readonly Uri _api = new(baseAddress, "api");

    public Uri BaseAddress => baseAddress;

    public async Task<HttpAnswer> PostAsync(string path, ReadOnlyMemory<byte> body, string contentType, string? accept, CancellationToken cancellationToken, Uri? instance = null)
    {
        // A client of a named service picks one of its live instances for every request.
        var target = instance ?? (client.Instances is { } instances ? await instances.NextAsync(cancellationToken) : baseAddress);
        var address = ReferenceEquals(target, baseAddress) && path is "api" or "" ? (path == "api" ? _api : baseAddress) : new Uri(target, path);
        using var request = new HttpRequestMessage(HttpMethod.Post, address);
        request.Content = new ReadOnlyMemoryContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (body.Length > AskFirstAbove)
        {
            request.Headers.ExpectContinue = true;
        }

        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        var session = client.Session;
        AddIdentity(request.Headers, session, client.Options.ApiToken);
        var nonce = signer.Sign(request, session, body.Span);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            var failure = Failure(request, exception);
            if (!failure.RequestSent)
            {
                client.Instances?.MarkFailed(target);
            }

            throw failure;
        }

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var status = (int)response.StatusCode;
            var answerType = response.Content.Headers.ContentType?.MediaType;
            var isAnswer = answerType is "application/json" or "application/msgpack";
            if (!response.IsSuccessStatusCode && !(isAnswer && bytes.Length > 0))
            {
                throw new TesseraTransportException(
                    $"{request.RequestUri} answered HTTP {status} {response.ReasonPhrase} without a Tessera answer.", requestSent: true, status);
            }

            if (response.IsSuccessStatusCode && signer.ExpectsSignedAnswer(session, nonce)
                && !signer.AnswerMatches(Header(response, RequestSigner.SignatureHeader), session!, nonce, bytes))
            {
                throw new TesseraCallException(1009, "The answer's signature is missing or wrong (x-toto-hmac).", default);
            }

            return new HttpAnswer(status, bytes, answerType == "application/msgpack");
        }
    }

    public static void AddIdentity(HttpHeaders headers, SessionState? session, string? apiToken)
    {
        if (session is not null)
        {
            headers.Add(SessionHeader, session.Id);
        }

        if (apiToken is not null)
        {
            headers.Add(ApiTokenHeader, apiToken);
        }
    }

    /// <summary>A connection that could not be made means nothing was sent; anything later may have reached the service.</summary>
    public static TesseraTransportException Failure(HttpRequestMessage request, HttpRequestException exception)
    {
        var notSent = exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;
        return new TesseraTransportException($"{request.RequestUri}: {exception.Message}", requestSent: !notSent, innerException: exception);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>What one HTTP request answered.</summary>
internal readonly record struct HttpAnswer(int Status, byte[] Body, bool IsMessagePack)
{
    public JsonDocument? Parse()
    {
        if (Body.Length == 0)
        {
            return null;
        }

        try
        {
            if (IsMessagePack)
            {
                var json = new System.Buffers.ArrayBufferWriter<byte>(Body.Length * 2);
                using (var writer = new Utf8JsonWriter(json))
                {
                    Tessera.Wires.MessagePack.MessagePackToJson.Convert(Body, writer, maxDepth: 64);
                }

                return JsonDocument.Parse(json.WrittenMemory);
            }

            return JsonDocument.Parse(Body);
        }
        catch (Tessera.Wires.MessagePack.MessagePackFormatException exception)
        {
            throw new TesseraTransportException($"The answer is not MessagePack: {exception.Message}", requestSent: true, Status, exception);
        }
        catch (JsonException exception)
        {
            throw new TesseraTransportException($"The answer is not JSON: {exception.Message}", requestSent: true, Status, exception);
        }
    }
}
