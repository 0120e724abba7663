using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Newtonsoft.Json.Bson;
using Newtonsoft.Json.Linq;
using Tessera.Wires.MessagePack;

namespace Tessera.Fuzz;

/// <summary>One parser under test: valid seeds to mutate, a generator, and how an input is sent and judged.</summary>
internal sealed class Target
{
    public required string Name { get; init; }

    public required IReadOnlyList<byte[]> Seeds { get; init; }

    public required IReadOnlyList<byte[]> Tokens { get; init; }

    /// <summary>Makes a fresh input now and then (a quarter of them), so the fuzzer is not bound to its seeds.</summary>
    public Func<Random, JsonGenerator, byte[]>? Generate { get; init; }

    public required Func<byte[], CancellationToken, Task<Outcome>> Send { get; init; }
}

/// <summary>
/// Every parser of the issue, each reached as a client reaches it. Seeds of the HTTP targets are <c>PATH\nBODY</c>: the
/// mutations reach the path (and so the URL-style method name) as well as the body.
/// </summary>
internal static class Targets
{
    private static readonly string[] Methods = ["math.add", "math.divide", "greeting.hello", "echo.values", "files.upload", "secure.whoami", "nope.none", "rpc.discover", "account.login"];

    private static readonly IReadOnlyList<byte[]> JsonTokens = Mutator.Tokens(
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\"\\ud800\"", "\"\\u0000\"", "{\"a\":", "[[[[[[[[[[", "]]]]]]]]",
        "\"method\":", "\"parameters\":", "\"params\":", "\"batch\":", "\"jsonrpc\":\"2.0\"", "\"id\":", "9223372036854775808", "\u00e9", "\xff",
        // Member names written with escapes, which the readers compare unescaped.
        "\"\\u0069d\":", "\"m\\u0065thod\":", "\"\\u0070arams\":", "\"json\\u0072pc\":\"2.0\"", "\"n\\u0061me\":");

    public static IReadOnlyList<Target> All(FuzzHost host) =>
    [
        TotoJson(host), UrlGet(host), Form(host), Multipart(host), MessagePack(host), Bson(host), JsonRpc(host), JsonRpcBatch(host),
        XmlRpc(host), WebSocket(host), Signature(host), SseQuery(host),
    ];

    private static Target TotoJson(FuzzHost host) => new()
    {
        Name = "toto-json",
        Seeds = Lines(
            "/\n{\"method\":\"math.add\",\"parameters\":{\"a\":1,\"b\":2}}",
            "/math.add\n{\"a\":1,\"b\":2}",
            "/math/divide\n{\"a\":1,\"b\":0}",
            "/\n{\"method\":\"greeting.hello\",\"parameters\":{\"name\":\"x\"}}",
            "/\n{\"method\":\"echo.values\",\"parameters\":{\"numbers\":[1,2],\"tags\":{\"k\":\"v\"},\"ratio\":0.5,\"flag\":true,\"when\":\"2026-11-30T00:00:00Z\",\"shape\":{\"width\":1,\"height\":2,\"labels\":[\"a\"]},\"color\":\"blue\"}}",
            "/\n{\"batch\":{\"a\":{\"method\":\"math.add\",\"parameters\":{\"a\":1,\"b\":2}},\"b\":{\"method\":\"greeting.hello\",\"parameters\":{\"name\":\"y\"}}}}"),
        Tokens = JsonTokens,
        Generate = (random, json) => Encoding.UTF8.GetBytes("/\n" + json.Envelope(Methods, "method", "parameters")),
        Send = (input, cancel) => PostAsync(host, input, "application/json", cancel),
    };

    private static Target UrlGet(FuzzHost host) => new()
    {
        Name = "url-get",
        Seeds = Lines("/math.add?a=1&b=2", "/math/divide?a=1&b=0", "/greeting.hello?name=x", "/echo.values?numbers=1&numbers=2&ratio=0.5&flag=true&when=2026-11-30", "/rpc.discover", "/math.add?a=1&a=2&b=%41"),
        Tokens = Mutator.Tokens("?", "&", "=", "%", "%00", "%ff", "%zz", "+", "#", "..", "/", "a=", "b=", "name=", "numbers=", "[]", "%2e%2e%2f"),
        Send = async (input, cancel) =>
        {
            var target = Encoding.Latin1.GetString(input);
            if (!Uri.TryCreate(host.Http.BaseAddress, target.StartsWith('/') ? target : "/" + target, out var uri) || uri.Host != host.Http.BaseAddress!.Host)
            {
                return Outcome.Unsendable;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            return await JudgeAsync(host, request, cancel);
        },
    };

    private static Target Form(FuzzHost host) => new()
    {
        Name = "form",
        Seeds = Lines("/math.add\na=1&b=2", "/greeting.hello\nname=hello+world", "/echo.values\nnumbers=1&numbers=2&ratio=0.5&flag=true&when=2026-11-30T00%3A00%3A00Z&color=green", "/\nmethod=math.add&a=1&b=2"),
        Tokens = Mutator.Tokens("&", "=", "%", "%00", "%ff", "+", "a=", "numbers=", "tags[k]=", "shape.width="),
        Send = (input, cancel) => PostAsync(host, input, "application/x-www-form-urlencoded", cancel),
    };

    private const string Boundary = "----TesseraFuzz7MA4YWxk";

    private static Target Multipart(FuzzHost host) => new()
    {
        Name = "multipart",
        Seeds = Lines(
            $"/files.upload\n--{Boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nfile contents\r\n--{Boundary}--\r\n",
            $"/math.add\n--{Boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--{Boundary}\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--{Boundary}--\r\n"),
        Tokens = Mutator.Tokens("\r\n", $"--{Boundary}", $"--{Boundary}--", "Content-Disposition: form-data; name=\"", "filename=\"", "Content-Type: ", "\"; ", "\r\n\r\n"),
        Send = (input, cancel) => PostAsync(host, input, $"multipart/form-data; boundary={Boundary}", cancel),
    };

    private static Target MessagePack(FuzzHost host) => new()
    {
        Name = "msgpack",
        Seeds = [.. new[]
        {
            "{\"method\":\"math.add\",\"parameters\":{\"a\":1,\"b\":2}}",
            "{\"method\":\"echo.values\",\"parameters\":{\"numbers\":[1,2,300,70000],\"tags\":{\"k\":\"v\"},\"ratio\":0.5,\"flag\":false,\"when\":\"2026-11-30T00:00:00Z\"}}",
            "{\"batch\":{\"a\":{\"method\":\"greeting.hello\",\"parameters\":{\"name\":\"z\"}}}}",
        }.Select(json => WithPath("/", ToMessagePack(json)))],
        Tokens = [[0xc0], [0xc1], [0xc2], [0xc3], [0xd9, 0xff], [0xdc, 0xff, 0xff], [0xdd, 0xff, 0xff, 0xff, 0xff], [0xdf, 0x7f, 0xff, 0xff, 0xff], [0xcb], [0xcf], [0xd3], [0xc7, 0x01, 0x05], [0x8f], [0x9f], [0xbf]],
        Generate = (random, json) =>
        {
            try
            {
                return WithPath("/", ToMessagePack(json.Envelope(Methods, "method", "parameters")));
            }
            catch (InvalidOperationException)
            {
                // A lone surrogate has no MessagePack string; the mutations reach such bytes anyway.
                return WithPath("/", ToMessagePack("{\"method\":\"math.add\",\"parameters\":[1,2]}"));
            }
        },
        Send = (input, cancel) => PostAsync(host, input, "application/msgpack", cancel),
    };

    private static Target Bson(FuzzHost host) => new()
    {
        Name = "bson",
        Seeds = [.. new[]
        {
            "{\"method\":\"math.add\",\"parameters\":{\"a\":1,\"b\":2}}",
            "{\"method\":\"echo.values\",\"parameters\":{\"numbers\":[1,2],\"tags\":{\"k\":\"v\"},\"ratio\":0.5,\"flag\":true,\"when\":\"2026-11-30T00:00:00Z\"}}",
        }.Select(json => WithPath("/", ToBson(json)))],
        Tokens = [[0x00], [0x01], [0x02], [0x03], [0x04], [0x05], [0x07], [0x08], [0x09], [0x0a], [0x10], [0x12], [0x7f], [0xff], [0xff, 0xff, 0xff, 0x7f], [0x05, 0x00, 0x00, 0x00, 0x00]],
        Send = (input, cancel) => PostAsync(host, input, "application/bson", cancel),
    };

    private static Target JsonRpc(FuzzHost host) => new()
    {
        Name = "jsonrpc",
        Seeds = Lines(
            "/api\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"math.add\",\"params\":[1,2]}",
            "/api\n{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"math.divide\",\"params\":{\"a\":1,\"b\":0}}",
            "/api\n{\"jsonrpc\":\"2.0\",\"method\":\"greeting.hello\",\"params\":{\"name\":\"n\"}}",
            "/api\n{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"echo.values\",\"params\":{\"numbers\":[1],\"ratio\":1,\"flag\":false,\"when\":\"2026-11-30\"}}"),
        Tokens = JsonTokens,
        Generate = (random, json) => Encoding.UTF8.GetBytes("/api\n" + json.Envelope(Methods, "method", "params")),
        Send = (input, cancel) => PostAsync(host, input, "application/json", cancel),
    };

    private static Target JsonRpcBatch(FuzzHost host) => new()
    {
        Name = "jsonrpc-batch",
        Seeds = Lines(
            "/api\n[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"math.add\",\"params\":[1,2]},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"greeting.hello\",\"params\":[\"a\"]}]",
            "/api\n[{\"jsonrpc\":\"2.0\",\"method\":\"math.add\",\"params\":[1,2]},{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nope.none\"},1,[]]"),
        Tokens = JsonTokens,
        Generate = (random, json) => Encoding.UTF8.GetBytes("/api\n[" + string.Join(',', Enumerable.Range(0, random.Next(1, 8)).Select(_ => json.Envelope(Methods, "method", "params"))) + "]"),
        Send = (input, cancel) => PostAsync(host, input, "application/json", cancel),
    };

    private static Target XmlRpc(FuzzHost host) => new()
    {
        Name = "xmlrpc",
        Seeds = Lines(
            "/RPC2\n<?xml version=\"1.0\"?><methodCall><methodName>math.add</methodName><params><param><value><int>1</int></value></param><param><value><i4>2</i4></value></param></params></methodCall>",
            "/RPC2\n<methodCall><methodName>greeting.hello</methodName><params><param><value><string>x</string></value></param></params></methodCall>",
            "/RPC2\n<methodCall><methodName>echo.values</methodName><params><param><value><struct><member><name>numbers</name><value><array><data><value><int>1</int></value></data></array></value></member><member><name>ratio</name><value><double>0.5</double></value></member><member><name>flag</name><value><boolean>1</boolean></value></member><member><name>when</name><value><dateTime.iso8601>20261130T00:00:00</dateTime.iso8601></value></member></struct></value></param></params></methodCall>",
            "/RPC2\n<methodCall><methodName>system.multicall</methodName><params><param><value><array><data></data></array></value></param></params></methodCall>"),
        Tokens = Mutator.Tokens("<value>", "</value>", "<int>", "<i4>", "<double>", "<string>", "<base64>", "<struct>", "<member>", "<name>", "<array><data>", "<nil/>",
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>", "&e;", "<![CDATA[", "]]>", "&amp;", "&#0;", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"),
        Send = (input, cancel) => PostAsync(host, input, "text/xml", cancel),
    };

    private static Target WebSocket(FuzzHost host)
    {
        var channel = new SocketChannel(host);
        return new Target
        {
            Name = "websocket",
            Seeds = Lines(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"math.add\",\"params\":[1,2]}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"events.subscribe\",\"params\":{\"topics\":[\"a.b\"]}}",
                "[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"greeting.hello\",\"params\":[\"q\"]}]",
                "{\"jsonrpc\":\"2.0\",\"method\":\"math.add\",\"params\":[1,2]}"),
            Tokens = JsonTokens,
            Generate = (random, json) => Encoding.UTF8.GetBytes(json.Envelope(Methods, "method", "params")),
            Send = channel.SendAsync,
        };
    }

    private static Target Signature(FuzzHost host)
    {
        var captured = host.Signed;
        var names = captured.Headers.Select(h => h.Key).ToList();
        // A seed is the captured request's signed headers, one per line, then a blank line and the body.
        var seed = Encoding.Latin1.GetBytes(string.Join('\n', captured.Headers.Select(h => $"{h.Key}: {h.Value}")) + "\n\n" + Encoding.Latin1.GetString(captured.Body));
        return new Target
        {
            Name = "signature",
            Seeds = [seed],
            Tokens = Mutator.Tokens("x-toto-hmac: ", "x-tessera-timestamp: ", "x-tessera-nonce: ", "x-toto-session-id: ", "0", "9999999999", "-1", "=", "==", " "),
            Send = async (input, cancel) =>
            {
                var text = Encoding.Latin1.GetString(input);
                var split = text.IndexOf("\n\n", StringComparison.Ordinal);
                var head = split < 0 ? text : text[..split];
                var body = split < 0 ? [] : Encoding.Latin1.GetBytes(text[(split + 2)..]);
                using var request = new HttpRequestMessage(captured.Method, captured.PathAndQuery) { Content = new ByteArrayContent(body) };
                if (captured.ContentType is { } type)
                {
                    request.Content.Headers.ContentType = type;
                }

                foreach (var line in head.Split('\n'))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0 && !request.Headers.TryAddWithoutValidation(line[..colon].Trim(), line[(colon + 1)..].Trim()))
                    {
                        return Outcome.Unsendable;
                    }
                }

                var outcome = await JudgeAsync(host, request, cancel);
                // Every input is a replay of a request already answered, or an altered one: none may be accepted.
                return outcome.Verdict == Verdict.Answered ? Outcome.Failed("a replayed or altered signed request was accepted") : outcome;
            },
        };
    }

    private static Target SseQuery(FuzzHost host) => new()
    {
        Name = "sse-query",
        Seeds = Lines("/events?topics=a.b", "/events?topics=a.*,b&last_event_id=3", "/events?topics=*", "/events?topics=user.me.*&last_event_id=-1"),
        Tokens = Mutator.Tokens("?", "&", "=", ",", "*", "%00", "%2c", "topics=", "last_event_id=", "9223372036854775808", "user.", ".."),
        Send = async (input, cancel) =>
        {
            var target = Encoding.Latin1.GetString(input);
            if (!Uri.TryCreate(host.Http.BaseAddress, target.StartsWith('/') ? target : "/" + target, out var uri) || uri.Host != host.Http.BaseAddress!.Host)
            {
                return Outcome.Unsendable;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (uri.AbsolutePath.Contains('\0', StringComparison.Ordinal) || Uri.UnescapeDataString(uri.AbsolutePath).Contains('\0', StringComparison.Ordinal))
            {
                return Outcome.Unsendable; // TestServer refuses NUL in a path, as Kestrel does before any application sees it.
            }

            using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
            if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                // A stream was opened: the subscription was taken. Leave at once.
                return response.StatusCode == HttpStatusCode.OK ? Outcome.Answered : Outcome.Failed($"HTTP {(int)response.StatusCode} event stream");
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancel);
            // The event stream refuses in plain text (an EventSource never reads the body; a person reading it does).
            return (int)response.StatusCode is >= 400 and < 500 && response.Content.Headers.ContentType?.MediaType == "text/plain" && body.Length > 0
                ? Outcome.Refused
                : Oracle.Http(response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? string.Empty, body);
        },
    };

    private static async Task<Outcome> PostAsync(FuzzHost host, byte[] input, string contentType, CancellationToken cancel)
    {
        var newline = Array.IndexOf(input, (byte)'\n');
        var path = Encoding.Latin1.GetString(input, 0, newline < 0 ? input.Length : newline);
        var body = newline < 0 ? [] : input[(newline + 1)..];
        if (!Uri.TryCreate(host.Http.BaseAddress, path.StartsWith('/') ? path : "/" + path, out var uri) || uri.Host != host.Http.BaseAddress!.Host)
        {
            return Outcome.Unsendable;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await JudgeAsync(host, request, cancel);
    }

    private static async Task<Outcome> JudgeAsync(FuzzHost host, HttpRequestMessage request, CancellationToken cancel)
    {
        HttpResponseMessage response;
        try
        {
            response = await host.Http.SendAsync(request, cancel);
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("null characters", StringComparison.Ordinal))
        {
            // TestServer will not put NUL in a path; Kestrel refuses such a request line before any application sees it.
            return Outcome.Unsendable;
        }

        using (response)
        {
            return Oracle.Http(response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? string.Empty, await response.Content.ReadAsByteArrayAsync(cancel));
        }
    }

    private static byte[] WithPath(string path, byte[] body) => [.. Encoding.ASCII.GetBytes(path + "\n"), .. body];

    private static IReadOnlyList<byte[]> Lines(params string[] seeds) => [.. seeds.Select(Encoding.UTF8.GetBytes)];

    private static byte[] ToMessagePack(string json)
    {
        // Generated requests nest deeper than the server allows, on purpose: the conversion must not stop at 64.
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1024 });
        var output = new ArrayBufferWriter<byte>();
        JsonToMessagePack.Write(output, document.RootElement);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] ToBson(string json)
    {
        using var stream = new MemoryStream();
        using (var writer = new BsonDataWriter(stream))
        {
            JObject.Parse(json).WriteTo(writer);
        }

        return stream.ToArray();
    }

    /// <summary>
    /// One WebSocket for the run, reopened when the server closes it. After each fuzzed frame a probe call follows, and
    /// every frame up to the probe's answer is judged: so a frame that gets no answer (a notification) is not mistaken
    /// for a hang, and one that kills the connection is caught.
    /// </summary>
    private sealed class SocketChannel(FuzzHost host)
    {
        private WebSocket? _socket;
        private long _probe;

        public async Task<Outcome> SendAsync(byte[] input, CancellationToken cancel)
        {
            _socket ??= await host.Server.CreateWebSocketClient().ConnectAsync(new Uri(host.Http.BaseAddress!, "/ws"), cancel);
            var probeId = $"probe-{++_probe}";
            try
            {
                await _socket.SendAsync(input, WebSocketMessageType.Text, endOfMessage: true, cancel);
                await _socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":\"{probeId}\",\"method\":\"math.add\",\"params\":[1,2]}}"),
                    WebSocketMessageType.Text, endOfMessage: true, cancel);
                var verdict = Outcome.Answered;
                while (true)
                {
                    var (type, frame) = await ReceiveAsync(_socket, cancel);
                    if (type == WebSocketMessageType.Close)
                    {
                        var status = _socket.CloseStatus;
                        _socket.Dispose();
                        _socket = null;
                        return status is WebSocketCloseStatus.MessageTooBig or WebSocketCloseStatus.InvalidMessageType or WebSocketCloseStatus.InvalidPayloadData or WebSocketCloseStatus.PolicyViolation
                            ? Outcome.Refused
                            : Outcome.Failed($"socket closed with {status}");
                    }

                    var judged = Oracle.Json(HttpStatusCode.OK, frame);
                    if (judged.Verdict == Verdict.Failed)
                    {
                        return judged;
                    }

                    if (frame.Contains(probeId, StringComparison.Ordinal))
                    {
                        return verdict;
                    }

                    verdict = judged;
                }
            }
            catch (WebSocketException exception)
            {
                _socket?.Dispose();
                _socket = null;
                return Outcome.Failed($"the socket broke: {exception.Message}");
            }
        }

        private static async Task<(WebSocketMessageType Type, string Text)> ReceiveAsync(WebSocket socket, CancellationToken cancel)
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancel);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (WebSocketMessageType.Close, string.Empty);
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return (result.MessageType, Encoding.UTF8.GetString(message.ToArray()));
                }
            }
        }
    }
}
