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
    private const string SessionHeader = "x-toto-session-id";

    /// <summary>The root path the service is mounted under, e.g. <c>/svc</c>.</summary>
    public string Root { get; set; } = "/";

    /// <summary>Sent as <c>x-toto-session-id</c> on every request when set; <see cref="LoginAsync"/> sets it.</summary>
    public string? SessionId { get; set; }

    /// <summary>Adds headers to every request this client sends (signatures, API tokens).</summary>
    public Func<HttpRequestMessage, Task>? OnRequest { get; set; }

    /// <summary>Calls <paramref name="method"/> with the envelope <c>{"method", "parameters"}</c> on <c>POST /</c>.</summary>
    public Task<TotoResponse> CallAsync(string method, object? parameters = null, CancellationToken cancellationToken = default)
    {
        var envelope = new Dictionary<string, object?> { ["method"] = method, ["parameters"] = parameters ?? new { } };
        return PostJsonAsync(string.Empty, JsonSerializer.Serialize(envelope), cancellationToken);
    }

    /// <summary>Signs in with <c>account.login</c> and keeps the new session id for the calls that follow.</summary>
    public async Task<TotoResponse> LoginAsync(string userId, string password, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync("account.login", new Dictionary<string, string> { ["user_id"] = userId, ["password"] = password }, cancellationToken);
        if (response.ErrorCode is null)
        {
            SessionId = response.Result.GetProperty("session_id").GetString();
        }

        return response;
    }

    /// <summary>Creates an account with <c>account.create</c> (which signs in) and keeps its session id.</summary>
    public async Task<TotoResponse> CreateAccountAsync(string userId, string password, object? fields = null, CancellationToken cancellationToken = default)
    {
        var parameters = new Dictionary<string, object?> { ["user_id"] = userId, ["password"] = password };
        if (fields is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(fields).EnumerateObject())
            {
                parameters[property.Name] = property.Value;
            }
        }

        var response = await CallAsync("account.create", parameters, cancellationToken);
        if (response.ErrorCode is null)
        {
            SessionId = response.Result.GetProperty("session_id").GetString();
        }

        return response;
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
    public Task<TotoResponse> PostAsync(string path, HttpContent content, CancellationToken cancellationToken = default) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = content }, cancellationToken);

    /// <summary>A URL-style GET, e.g. <c>GetAsync("greeting/hello?name=ada")</c>.</summary>
    public Task<TotoResponse> GetAsync(string pathAndQuery, CancellationToken cancellationToken = default) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Url(pathAndQuery)), cancellationToken);

    /// <summary>Sends a request built by the test, adding the session header and <see cref="OnRequest"/>.</summary>
    public async Task<TotoResponse> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using (request)
        {
            if (SessionId is not null && !request.Headers.Contains(SessionHeader))
            {
                request.Headers.Add(SessionHeader, SessionId);
            }

            if (OnRequest is not null)
            {
                await OnRequest(request);
            }

            using var response = await http.SendAsync(request, cancellationToken);
            return await TotoResponse.ReadAsync(response, cancellationToken);
        }
    }

    /// <summary>The absolute path of <paramref name="path"/> under <see cref="Root"/>.</summary>
    public string Url(string path) => Root.TrimEnd('/') + "/" + path.TrimStart('/');

    /// <summary>A second client on the same service, with no session.</summary>
    public TotoTestClient Fresh() => new(http) { Root = Root };
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

    /// <summary>The envelope's <c>session</c> block, or null.</summary>
    public JsonElement? Session => Json is { } json && json.TryGetProperty("session", out var session) ? session : null;

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
