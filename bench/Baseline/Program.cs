using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using System.Xml;
using Baseline;
using MessagePack;

// The load harness's baseline: the best hand-written Minimal API for each scenario Tessera is measured on, doing the
// same work by hand: the slim builder, no logging, source-generated System.Text.Json, typed MessagePack, XmlReader and
// XmlWriter for XML-RPC, the same session lookup (SHA-256 of the id) and versioned state write, and in signed mode the
// same HMAC-SHA256 verification, timestamp window, single-use nonce and signed answer.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default));
var app = builder.Build();
app.UseWebSockets();

var sessions = new ConcurrentDictionary<string, Session>();
var nonces = new ConcurrentDictionary<string, long>();
var json = BaselineJson.Default;

// Used nonces are kept for the signature window and then swept, as Tessera's nonce store does.
using var sweep = new Timer(_ =>
{
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    foreach (var (nonce, expires) in nonces)
    {
        if (expires < now)
        {
            nonces.TryRemove(nonce, out long _);
        }
    }
}, null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

// The handlers that write their own answers are typed as RequestDelegate, which they are: under Native AOT the Request
// Delegate Generator would otherwise intercept them with the wrong signature (CS9144).

// The Toto envelope, single or a batch of ten: {"method", "parameters": {"name"}} -> {"result": "hello ..."};
// MessagePack bodies of the same shape answer in MessagePack.
app.MapPost("/", (RequestDelegate)(async http =>
{
    if (http.Request.ContentType == "application/msgpack")
    {
        var call = await MessagePackSerializer.DeserializeAsync<PackedCall>(http.Request.Body, cancellationToken: http.RequestAborted);
        http.Response.ContentType = "application/msgpack";
        await MessagePackSerializer.SerializeAsync(http.Response.Body, new PackedResult(Hello(call.Parameters.Name)), cancellationToken: http.RequestAborted);
        return;
    }

    var request = await JsonSerializer.DeserializeAsync(http.Request.Body, json.TotoRequest, http.RequestAborted);
    if (request?.Batch is { } batch)
    {
        var answers = new SortedDictionary<string, TotoResult>(StringComparer.Ordinal);
        foreach (var (key, entry) in batch)
        {
            answers[key] = new TotoResult(Hello(entry.Parameters!.Name));
        }

        await http.Response.WriteAsJsonAsync(new TotoBatchAnswer(answers), json.TotoBatchAnswer, cancellationToken: http.RequestAborted);
        return;
    }

    await http.Response.WriteAsJsonAsync(new TotoResult(Hello(request!.Parameters!.Name)), json.TotoResult, cancellationToken: http.RequestAborted);
}));

// URL style: GET /greeting/hello?name=...
app.MapGet("/greeting/hello", (string name) => TypedResults.Json(new TotoResult(Hello(name)), json.TotoResult));

// JSON-RPC 2.0, single or batch: {"jsonrpc": "2.0", "method", "params": {"name"}, "id"}.
app.MapPost("/api", (RequestDelegate)(async http =>
{
    using var buffer = new PooledBody();
    await buffer.ReadAsync(http.Request.Body, http.RequestAborted);
    if (buffer.FirstNonSpace == '[')
    {
        var calls = JsonSerializer.Deserialize(buffer.Span, json.JsonRpcRequestArray)!;
        var answers = new JsonRpcAnswer[calls.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            answers[i] = new JsonRpcAnswer("2.0", Hello(calls[i].Params.Name), calls[i].Id);
        }

        await http.Response.WriteAsJsonAsync(answers, json.JsonRpcAnswerArray, cancellationToken: http.RequestAborted);
        return;
    }

    var single = JsonSerializer.Deserialize(buffer.Span, json.JsonRpcRequest)!;
    await http.Response.WriteAsJsonAsync(new JsonRpcAnswer("2.0", Hello(single.Params.Name), single.Id), json.JsonRpcAnswer, cancellationToken: http.RequestAborted);
}));

// XML-RPC: <methodCall><methodName>greeting.hello</methodName><params><param><value><string>ada</string>...
// The body is buffered first and read with a synchronous XmlReader; the answer is written to a buffer, then sent.
app.MapPost("/RPC2", (RequestDelegate)(async http =>
{
    using var body = new PooledBody();
    await body.ReadAsync(http.Request.Body, http.RequestAborted);
    var (method, name) = XmlRpc.Read(body.Memory);
    http.Response.ContentType = "text/xml; charset=utf-8";
    await http.Response.Body.WriteAsync(XmlRpc.Answer(method == "greeting.hello" ? Hello(name!) : "?"), http.RequestAborted);
}));

// An authenticated call: find the session by the SHA-256 of its id, count in its state, write it back with a version
// check; in signed mode verify the request's HMAC-SHA256, timestamp and nonce first, and sign the answer.
app.MapPost("/login", () =>
{
    var id = Base64Url(RandomNumberGenerator.GetBytes(16));
    var key = Base64Url(RandomNumberGenerator.GetBytes(32));
    sessions[Hash(id)] = new Session("bench", 0, 0, Encoding.UTF8.GetBytes(key));
    return TypedResults.Json(new LoginAnswer(new LoginResult(id, key)), json.LoginAnswer);
});
// Typed as a Func so Minimal API writes the IResult (a lambda returning a Task converts to RequestDelegate, which drops it).
app.MapPost("/counter/increment", (Func<HttpContext, Task<IResult>>)(http => IncrementAsync(http, parseBody: false)));
// The same, reading and parsing the JSON body the client sends, as Tessera and this file's other handlers do: the load
// report's diagnostic of how much of the authenticated call's gap is that work (the target is read against the above).
app.MapPost("/counter/increment/parse-body", (Func<HttpContext, Task<IResult>>)(http => IncrementAsync(http, parseBody: true)));

async Task<IResult> IncrementAsync(HttpContext http, bool parseBody)
{
    var id = http.Request.Headers["x-toto-session-id"].ToString();
    var key = Hash(id);
    if (!sessions.TryGetValue(key, out var session))
    {
        return Results.Json(new TotoError(new ErrorBody(1004, "Not authorized")), json.TotoError);
    }

    var signature = http.Request.Headers["x-toto-hmac"].ToString();
    var nonce = string.Empty;
    if (parseBody && signature.Length == 0)
    {
        using var body = new PooledBody();
        await body.ReadAsync(http.Request.Body, http.RequestAborted);
        try
        {
            using var parsed = JsonDocument.Parse(body.Memory);
        }
        catch (JsonException)
        {
            return Results.Json(new TotoError(new ErrorBody(1002, "Invalid JSON")), json.TotoError);
        }
    }

    if (signature.Length > 0)
    {
        using var body = new PooledBody();
        await body.ReadAsync(http.Request.Body, http.RequestAborted);
        var timestamp = http.Request.Headers["x-tessera-timestamp"].ToString();
        nonce = http.Request.Headers["x-tessera-nonce"].ToString();
        if (!Signatures.Verify(session.Key, http.Request, id, timestamp, nonce, body.Span, signature) || !Signatures.FreshNonce(nonces, id, nonce, timestamp))
        {
            return Results.Json(new TotoError(new ErrorBody(1008, "Bad signature")), json.TotoError);
        }
    }

    while (true)
    {
        var next = session with { Count = session.Count + 1, Version = session.Version + 1 };
        if (sessions.TryUpdate(key, next, session))
        {
            var answer = JsonSerializer.SerializeToUtf8Bytes(new CountAnswer(new CountResult(next.Count)), json.CountAnswer);
            if (nonce.Length > 0)
            {
                http.Response.Headers["x-toto-hmac"] = Signatures.Answer(session.Key, nonce, answer);
            }

            return Results.Bytes(answer, "application/json");
        }

        if (!sessions.TryGetValue(key, out session))
        {
            return Results.Json(new TotoError(new ErrorBody(1004, "Not authorized")), json.TotoError);
        }
    }
}

// JSON-RPC over a WebSocket: one text frame in, one out.
app.Map("/ws", (RequestDelegate)(async http =>
{
    if (!http.WebSockets.IsWebSocketRequest)
    {
        http.Response.StatusCode = 400;
        return;
    }

    using var socket = await http.WebSockets.AcceptWebSocketAsync();
    var buffer = new byte[16 * 1024];
    var output = new ArrayBufferWriter<byte>(1024);
    while (true)
    {
        var received = await socket.ReceiveAsync(buffer, http.RequestAborted);
        if (received.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return;
        }

        var call = JsonSerializer.Deserialize(buffer.AsSpan(0, received.Count), json.JsonRpcRequest)!;
        output.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(output))
        {
            JsonSerializer.Serialize(writer, new JsonRpcAnswer("2.0", Hello(call.Params.Name), call.Id), json.JsonRpcAnswer);
        }

        await socket.SendAsync(output.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, http.RequestAborted);
    }
}));

// Server-Sent Events as a careful hand-written service keeps them: a bounded queue per stream in a broadcast set, one
// pending read and one keep-alive timer per stream. Only its memory per idle stream is measured.
var streams = new ConcurrentDictionary<Channel<string>, byte>();
app.MapGet("/events", (RequestDelegate)(async http =>
{
    http.Response.ContentType = "text/event-stream";
    http.Response.Headers.CacheControl = "no-cache";
    var queue = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { SingleReader = true });
    streams.TryAdd(queue, 0);
    try
    {
        var aborted = http.RequestAborted;
        await http.Response.WriteAsync("retry: 2000\n\n", aborted);
        await http.Response.Body.FlushAsync(aborted);
        using var heartbeat = new PeriodicTimer(TimeSpan.FromSeconds(15));
        Task<bool>? pending = null;
        Task<bool>? beat = null;
        while (!aborted.IsCancellationRequested)
        {
            pending ??= queue.Reader.WaitToReadAsync(aborted).AsTask();
            beat ??= heartbeat.WaitForNextTickAsync(aborted).AsTask();
            if (await Task.WhenAny(pending, beat) == beat)
            {
                beat = null;
                await http.Response.WriteAsync(": keep-alive\n\n", aborted);
                await http.Response.Body.FlushAsync(aborted);
                continue;
            }

            pending = null;
            while (queue.Reader.TryRead(out var message))
            {
                await http.Response.WriteAsync(message, aborted);
            }

            await http.Response.Body.FlushAsync(aborted);
        }
    }
    catch (OperationCanceledException)
    {
        // The client left.
    }
    finally
    {
        streams.TryRemove(queue, out _);
    }
}));

app.Run();

static string Hello(string name) => $"hello {name}";

static string Hash(string id) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(id)));

static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

namespace Baseline
{
    internal sealed record Session(string UserId, int Count, long Version, byte[] Key);

    internal sealed record HelloParameters(string Name);

    internal sealed record TotoRequest(string? Method, HelloParameters? Parameters, Dictionary<string, TotoRequest>? Batch);

    internal sealed record TotoResult(string Result);

    internal sealed record TotoBatchAnswer(SortedDictionary<string, TotoResult> Batch);

    internal sealed record ErrorBody(int Code, string Value);

    internal sealed record TotoError(ErrorBody Error);

    internal sealed record JsonRpcRequest(string Jsonrpc, string Method, HelloParameters Params, int? Id);

    internal sealed record JsonRpcAnswer(string Jsonrpc, string Result, int? Id);

    internal sealed record LoginResult(string SessionId, string Key);

    internal sealed record LoginAnswer(LoginResult Result);

    internal sealed record CountResult(int Count);

    internal sealed record CountAnswer(CountResult Result);

    [MessagePackObject]
    public sealed class PackedParameters
    {
        [Key("name")]
        public string Name { get; set; } = string.Empty;
    }

    [MessagePackObject]
    public sealed class PackedCall
    {
        [Key("method")]
        public string Method { get; set; } = string.Empty;

        [Key("parameters")]
        public PackedParameters Parameters { get; set; } = new();
    }

    [MessagePackObject]
    public sealed class PackedResult(string result)
    {
        [Key("result")]
        public string Result { get; } = result;
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(TotoRequest))]
    [JsonSerializable(typeof(TotoResult))]
    [JsonSerializable(typeof(TotoBatchAnswer))]
    [JsonSerializable(typeof(TotoError))]
    [JsonSerializable(typeof(JsonRpcRequest))]
    [JsonSerializable(typeof(JsonRpcRequest[]))]
    [JsonSerializable(typeof(JsonRpcAnswer))]
    [JsonSerializable(typeof(JsonRpcAnswer[]))]
    [JsonSerializable(typeof(LoginAnswer))]
    [JsonSerializable(typeof(CountAnswer))]
    internal sealed partial class BaselineJson : JsonSerializerContext;

    internal static class XmlRpc
    {
        private static readonly XmlReaderSettings ReaderSettings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };

        private static readonly XmlWriterSettings WriterSettings = new() { Encoding = new UTF8Encoding(false) };

        public static (string? Method, string? Name) Read(ReadOnlyMemory<byte> body)
        {
            string? method = null;
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, ReaderSettings);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.LocalName == "methodName")
                {
                    method = reader.ReadElementContentAsString();
                }
                else if (reader.LocalName == "string")
                {
                    return (method, reader.ReadElementContentAsString());
                }
            }

            return (method, null);
        }

        public static byte[] Answer(string text)
        {
            using var output = new MemoryStream(256);
            using (var writer = XmlWriter.Create(output, WriterSettings))
            {
                writer.WriteStartDocument();
                writer.WriteStartElement("methodResponse");
                writer.WriteStartElement("params");
                writer.WriteStartElement("param");
                writer.WriteStartElement("value");
                writer.WriteElementString("string", text);
                writer.WriteEndDocument();
            }

            return output.ToArray();
        }
    }

    /// <summary>The request body in a pooled buffer, for parsers that want a span (and HMACs over the bytes).</summary>
    internal sealed class PooledBody : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
        private int _length;

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

        public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

        public char FirstNonSpace
        {
            get
            {
                foreach (var b in Span)
                {
                    if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                    {
                        return (char)b;
                    }
                }

                return '\0';
            }
        }

        public async Task ReadAsync(Stream body, CancellationToken cancellationToken)
        {
            int read;
            while ((read = await body.ReadAsync(_buffer.AsMemory(_length), cancellationToken)) > 0)
            {
                _length += read;
                if (_length == _buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                    _buffer.AsSpan(0, _length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                }
            }
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
    }

    /// <summary>Tessera's signed mode by hand: HMAC-SHA256 over the canonical request, a 300 s window, single-use nonces.</summary>
    internal static class Signatures
    {
        public static bool Verify(byte[] key, HttpRequest request, string sessionId, string timestamp, string nonce, ReadOnlySpan<byte> body, string signature)
        {
            Span<byte> bodyHash = stackalloc byte[32];
            SHA256.HashData(body, bodyHash);
            var canonical = string.Join('\n', request.Method, request.Path.Value, request.QueryString.Value?.TrimStart('?') ?? string.Empty,
                request.ContentType ?? string.Empty, sessionId, timestamp, nonce, Convert.ToHexStringLower(bodyHash));
            Span<byte> expected = stackalloc byte[32];
            HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(canonical), expected);
            Span<byte> given = stackalloc byte[32];
            return Convert.TryFromBase64String(signature, given, out var length) && length == 32 && CryptographicOperations.FixedTimeEquals(expected, given);
        }

        public static bool FreshNonce(ConcurrentDictionary<string, long> nonces, string sessionId, string nonce, string timestamp)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return long.TryParse(timestamp, out var seconds) && Math.Abs(now - seconds) <= 300
                && nonce.Length is > 0 and <= 128 && nonces.TryAdd(sessionId + ":" + nonce, now + 300);
        }

        public static string Answer(byte[] key, string nonce, byte[] body)
        {
            Span<byte> bodyHash = stackalloc byte[32];
            SHA256.HashData(body, bodyHash);
            Span<byte> signature = stackalloc byte[32];
            HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(nonce + "\n" + Convert.ToHexStringLower(bodyHash)), signature);
            return Convert.ToBase64String(signature);
        }
    }
}
