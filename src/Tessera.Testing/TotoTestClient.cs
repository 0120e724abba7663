using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tessera.Testing;

/// <summary>
/// A small Toto client for tests: envelope calls, URL-style calls, batches and raw bodies, answering with the parsed
/// envelope. It never hides what the server sent.
/// </summary>
public sealed class TotoTestClient(HttpClient http)
{
    /// <summary>The root path the service is mounted under, e.g. <c>/svc</c>.</summary>
    public string Root { get; set; } = "/";

    /// <summary>Calls <paramref name="method"/> with the envelope <c>{"method", "parameters"}</c> on <c>POST /</c>.</summary>
    public Task<TotoResponse> CallAsync(string method, object? parameters = null, CancellationToken cancellationToken = default)
    {
        var envelope = new Dictionary<string, object?> { ["method"] = method, ["parameters"] = parameters ?? new { } };
        return PostJsonAsync(string.Empty, JsonSerializer.Serialize(envelope), cancellationToken);
    }

    /// <summary>Runs calls as one keyed batch: <c>{"batch": {key: {"method", "parameters"}}}</c>.</summary>
    public Task<TotoResponse> BatchAsync(
        IEnumerable<(string Key, string Method, object? Parameters)> calls,
        CancellationToken cancellationToken = default)
    {
        var batch = calls.ToDictionary(
            call => call.Key,
            call => new Dictionary<string, object?> { ["method"] = call.Method, ["parameters"] = call.Parameters ?? new { } });
        return PostJsonAsync(string.Empty, JsonSerializer.Serialize(new { batch }), cancellationToken);
    }

    /// <summary>Posts a raw JSON text to a path relative to the root (empty for the root itself).</summary>
    public Task<TotoResponse> PostJsonAsync(string path, string json, CancellationToken cancellationToken = default) =>
        PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>Posts any content to a path relative to the root.</summary>
    public async Task<TotoResponse> PostAsync(string path, HttpContent content, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync(Url(path), content, cancellationToken);
        return await TotoResponse.ReadAsync(response, cancellationToken);
    }

    /// <summary>Sends a request built by the test, for verbs and headers the helpers do not cover.</summary>
    public async Task<TotoResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using var response = await http.SendAsync(request, cancellationToken);
        return await TotoResponse.ReadAsync(response, cancellationToken);
    }

    /// <summary>A URL-style GET, e.g. <c>GetAsync("greeting/hello?name=ada")</c>.</summary>
    public async Task<TotoResponse> GetAsync(string pathAndQuery, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(Url(pathAndQuery), cancellationToken);
        return await TotoResponse.ReadAsync(response, cancellationToken);
    }

    /// <summary>The absolute path of <paramref name="path"/> under <see cref="Root"/>.</summary>
    public string Url(string path) => Root.TrimEnd('/') + "/" + path.TrimStart('/');
}

/// <summary>A Toto answer: status, headers, the raw body, and the envelope's result or error.</summary>
public sealed class TotoResponse
{
    private TotoResponse(int statusCode, HttpResponseHeaders headers, HttpContentHeaders contentHeaders, string body)
    {
        StatusCode = statusCode;
        Headers = headers;
        ContentHeaders = contentHeaders;
        Body = body;
        if (body.Length > 0 && contentHeaders.ContentType?.MediaType == "application/json")
        {
            using var document = JsonDocument.Parse(body);
            Json = document.RootElement.Clone();
        }
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    /// <summary>The response headers.</summary>
    public HttpResponseHeaders Headers { get; }

    /// <summary>The content headers (type, length).</summary>
    public HttpContentHeaders ContentHeaders { get; }

    /// <summary>The body exactly as sent.</summary>
    public string Body { get; }

    /// <summary>The parsed body, when it was JSON.</summary>
    public JsonElement? Json { get; }

    /// <summary>The envelope's <c>result</c>; throws with the body when there is none.</summary>
    public JsonElement Result => Json is { } json && json.TryGetProperty("result", out var result)
        ? result
        : throw new InvalidOperationException($"The answer has no result: {Body}");

    /// <summary>The envelope's <c>error.code</c>, or null.</summary>
    public int? ErrorCode => Json is { } json && json.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : null;

    /// <summary>The envelope's <c>error.value</c>; throws with the body when there is none.</summary>
    public JsonElement ErrorValue => Json is { } json && json.TryGetProperty("error", out var error)
        ? error.GetProperty("value")
        : throw new InvalidOperationException($"The answer has no error: {Body}");

    /// <summary>One header's value, from either header collection, or null.</summary>
    public string? Header(string name) =>
        Headers.TryGetValues(name, out var values) || ContentHeaders.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    internal static async Task<TotoResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new TotoResponse((int)response.StatusCode, response.Headers, response.Content.Headers, body);
    }
}
