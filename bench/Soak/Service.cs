using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Soak;

/// <summary>
/// Calls on HelloService over each wire, each checking the answer it gets: a wrong answer throws, so the tally counts it
/// as an error exactly like a failed request.
/// </summary>
internal sealed class Service(Uri baseUri, TimeSpan? timeout = null)
{
    private static readonly byte[] MessagePackHello =
        [0x82, 0xa6, .. "method"u8, 0xae, .. "greeting.hello"u8, 0xaa, .. "parameters"u8, 0x81, 0xa4, .. "name"u8, 0xa3, .. "ada"u8];

    // No draining: an event stream left open is closed at once instead of holding a pooled connection for seconds.
    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, MaxResponseDrainSize = 0, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        BaseAddress = baseUri,
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
    };

    public Uri BaseUri => baseUri;

    public async Task<JsonNode?> TotoAsync(string method, JsonObject parameters, string? session = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["method"] = method, ["parameters"] = parameters };
        var answer = await PostAsync("/", body.ToJsonString(), "application/json", session, cancellationToken);
        return answer["result"] ?? throw new SoakException($"{method}: {answer.ToJsonString()}");
    }

    /// <summary>
    /// Signs in as a well-behaved client does: a 1014 refusal (too many sign-ins waiting from this address) waits what its
    /// Retry-After says and tries again. Answers the session id and how many times the sign-in was refused first.
    /// </summary>
    public async Task<(string Session, int Refusals)> LoginAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["method"] = "account.login", ["parameters"] = new JsonObject { ["user_id"] = user, ["password"] = password } }.ToJsonString();
        for (var refusals = 0; ; refusals++)
        {
            using var response = await Http.PostAsync("/", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            if ((string?)answer["result"]?["session_id"] is { } session)
            {
                return (session, refusals);
            }

            if ((int?)answer["error"]?["code"] != 1014 || response.Headers.RetryAfter?.Delta is not { } wait || refusals >= 100)
            {
                throw new SoakException($"account.login: {answer.ToJsonString()}");
            }

            await Task.Delay(wait, cancellationToken);
        }
    }

    /// <summary>A call that must fail: answers the error object.</summary>
    public async Task<JsonNode> TotoErrorAsync(string method, JsonObject parameters, string? session, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["method"] = method, ["parameters"] = parameters };
        var answer = await PostAsync("/", body.ToJsonString(), "application/json", session, cancellationToken);
        return answer["error"] ?? throw new SoakException($"{method} should have failed: {answer.ToJsonString()}");
    }

    public async Task HelloEnvelopeAsync(string name, CancellationToken cancellationToken) =>
        Expect(await TotoAsync("greeting.hello", new JsonObject { ["name"] = name }, cancellationToken: cancellationToken), $"hello {name}");

    public async Task HelloGetAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync($"/greeting/hello?name={Uri.EscapeDataString(name)}", cancellationToken);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        Expect(answer["result"], $"hello {name}");
    }

    public async Task HelloJsonRpcAsync(string name, CancellationToken cancellationToken)
    {
        var body = $$"""{"jsonrpc":"2.0","method":"greeting.hello","params":{"name":"{{name}}"},"id":7}""";
        var answer = await PostAsync("/api", body, "application/json", null, cancellationToken);
        Expect(answer["result"], $"hello {name}");
        if ((int?)answer["id"] != 7)
        {
            throw new SoakException("JSON-RPC id not echoed: " + answer.ToJsonString());
        }
    }

    public async Task JsonRpcBatchAsync(CancellationToken cancellationToken)
    {
        var calls = new JsonArray();
        for (var i = 0; i < 10; i++)
        {
            calls.Add(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "math.add", ["params"] = new JsonArray(i, 100), ["id"] = i });
        }

        using var response = await Http.PostAsync("/api", new StringContent(calls.ToJsonString(), Encoding.UTF8, "application/json"), cancellationToken);
        var answers = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsArray();
        if (answers.Count != 10 || answers.Any(a => (int?)a!["result"] != (int?)a["id"] + 100))
        {
            throw new SoakException("JSON-RPC batch: " + answers.ToJsonString());
        }
    }

    public async Task TotoBatchAsync(CancellationToken cancellationToken)
    {
        var batch = new JsonObject();
        for (var i = 0; i < 10; i++)
        {
            batch[$"k{i}"] = new JsonObject { ["method"] = "math.add", ["parameters"] = new JsonObject { ["a"] = i, ["b"] = 100 } };
        }

        var answer = await PostAsync("/", new JsonObject { ["batch"] = batch }.ToJsonString(), "application/json", null, cancellationToken);
        var results = answer["batch"]?.AsObject() ?? throw new SoakException("Toto batch: " + answer.ToJsonString());
        for (var i = 0; i < 10; i++)
        {
            if ((int?)results[$"k{i}"]?["result"] != i + 100)
            {
                throw new SoakException("Toto batch: " + answer.ToJsonString());
            }
        }
    }

    public async Task HelloXmlRpcAsync(string name, CancellationToken cancellationToken)
    {
        var body = $"<?xml version=\"1.0\"?><methodCall><methodName>greeting.hello</methodName><params><param><value><string>{name}</string></value></param></params></methodCall>";
        using var response = await Http.PostAsync("/RPC2", new StringContent(body, Encoding.UTF8, "text/xml"), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!text.Contains($"<string>hello {name}</string>", StringComparison.Ordinal))
        {
            throw new SoakException("XML-RPC: " + text);
        }
    }

    public async Task HelloMessagePackAsync(CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(MessagePackHello);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/msgpack");
        using var response = await Http.PostAsync("/", content, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType != "application/msgpack" || bytes.AsSpan().IndexOf("hello ada"u8) < 0)
        {
            throw new SoakException($"MessagePack: {(int)response.StatusCode} {Convert.ToHexString(bytes)}");
        }
    }

    public async Task<ClientWebSocket> ConnectWebSocketAsync(string? session, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        if (session is not null)
        {
            socket.Options.SetRequestHeader("x-toto-session-id", session);
        }

        await socket.ConnectAsync(new Uri(new Uri(baseUri.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), "/ws"), cancellationToken);
        return socket;
    }

    public static async Task SendAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>Reads one whole text message.</summary>
    public static async Task<JsonNode> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new SoakException($"WebSocket closed by the server: {received.CloseStatus} {received.CloseStatusDescription}");
            }

            message.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);
        return JsonNode.Parse(message.ToArray())!;
    }

    public async Task<JsonObject> PostAsync(string path, string body, string contentType, string? session, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (session is not null)
        {
            request.Headers.Add("x-toto-session-id", session);
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return JsonNode.Parse(text) as JsonObject ?? throw new SoakException($"{path}: {(int)response.StatusCode} {text}");
    }

    public static void Expect(JsonNode? actual, string expected)
    {
        if ((string?)actual != expected)
        {
            throw new SoakException($"expected \"{expected}\", got {actual?.ToJsonString() ?? "nothing"}");
        }
    }
}

/// <summary>A wrong answer: counted as an error.</summary>
internal sealed class SoakException(string message) : Exception(message);
