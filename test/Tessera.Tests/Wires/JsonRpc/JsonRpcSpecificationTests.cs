using System.Text;
using System.Text.Json.Nodes;

namespace Tessera.Tests.Wires.JsonRpc;

/// <summary>
/// Every example of the JSON-RPC 2.0 specification's examples section, with HelloService's methods standing in
/// (math.add for subtract and sum), plus the edge cases PROTOCOL.md section 2 names. Error data is Tessera's own
/// explanation and is compared separately; codes, messages, results and ids must match exactly.
/// </summary>
public sealed class JsonRpcSpecificationTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() => _host = await Hosts.StartHelloServiceAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string, int, string?> Examples => new()
    {
        // rpc call with positional parameters
        { "positional", """{"jsonrpc": "2.0", "method": "math.add", "params": [42, 23], "id": 1}""", 200, """{"jsonrpc":"2.0","result":65,"id":1}""" },
        { "positional again", """{"jsonrpc": "2.0", "method": "math.add", "params": [23, 42], "id": 2}""", 200, """{"jsonrpc":"2.0","result":65,"id":2}""" },
        // rpc call with named parameters
        { "named", """{"jsonrpc": "2.0", "method": "math.add", "params": {"a": 42, "b": 23}, "id": 3}""", 200, """{"jsonrpc":"2.0","result":65,"id":3}""" },
        { "named reordered", """{"jsonrpc": "2.0", "method": "math.add", "params": {"b": 23, "a": 42}, "id": 4}""", 200, """{"jsonrpc":"2.0","result":65,"id":4}""" },
        // a Notification
        { "notification", """{"jsonrpc": "2.0", "method": "math.add", "params": [1, 2]}""", 200, null },
        { "notification of unknown method", """{"jsonrpc": "2.0", "method": "foobar"}""", 200, null },
        // rpc call of non-existent method
        { "method not found", """{"jsonrpc": "2.0", "method": "foobar", "id": "1"}""", 200, """{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":"1"}""" },
        // rpc call with invalid JSON
        { "parse error", """{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]""", 200, """{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}""" },
        // rpc call with invalid Request object
        { "invalid request", """{"jsonrpc": "2.0", "method": 1, "params": "bar"}""", 200, """{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null}""" },
        // rpc call Batch, invalid JSON
        { "batch, invalid JSON", """[{"jsonrpc": "2.0", "method": "math.add", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method" ]""", 200, """{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}""" },
        // rpc call with an empty Array
        { "empty batch", "[]", 200, """{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null}""" },
        // rpc call with an invalid Batch (but not empty)
        { "[1]", "[1]", 200, """[{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null}]""" },
        // rpc call with invalid Batch
        { "[1,2,3]", "[1,2,3]", 200, """[{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null},{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null},{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null}]""" },
        // rpc call Batch: valid calls, a notification, an invalid request and an unknown method
        {
            "mixed batch",
            """
            [
                {"jsonrpc": "2.0", "method": "math.add", "params": [1,2], "id": "1"},
                {"jsonrpc": "2.0", "method": "greeting.hello", "params": ["notify"]},
                {"jsonrpc": "2.0", "method": "math.add", "params": [42,23], "id": "2"},
                {"foo": "boo"},
                {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                {"jsonrpc": "2.0", "method": "greeting.hello", "params": {"name": "ada"}, "id": "9"}
            ]
            """,
            200,
            """[{"jsonrpc":"2.0","result":3,"id":"1"},{"jsonrpc":"2.0","result":65,"id":"2"},{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null},{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":"5"},{"jsonrpc":"2.0","result":"hello ada","id":"9"}]"""
        },
        // rpc call Batch (all notifications)
        { "batch of notifications", """[{"jsonrpc": "2.0", "method": "math.add", "params": [1,2]},{"jsonrpc": "2.0", "method": "greeting.hello", "params": ["x"]}]""", 200, null },
        // ids keep their type, 0 included
        { "id 0", """{"jsonrpc": "2.0", "method": "math.add", "params": [1, 1], "id": 0}""", 200, """{"jsonrpc":"2.0","result":2,"id":0}""" },
        { "string id", """{"jsonrpc": "2.0", "method": "math.add", "params": [1, 1], "id": "abc"}""", 200, """{"jsonrpc":"2.0","result":2,"id":"abc"}""" },
        { "null id", """{"jsonrpc": "2.0", "method": "math.add", "params": [1, 1], "id": null}""", 200, """{"jsonrpc":"2.0","result":2,"id":null}""" },
        { "negative and large id", """{"jsonrpc": "2.0", "method": "math.add", "params": [1, 1], "id": -9007199254740993}""", 200, """{"jsonrpc":"2.0","result":2,"id":-9007199254740993}""" },
        { "object id", """{"jsonrpc": "2.0", "method": "math.add", "params": [1, 1], "id": {"a": 1}}""", 200, """{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null}""" },
        // the protocol's other errors
        { "invalid params", """{"jsonrpc": "2.0", "method": "math.add", "params": ["x", 1], "id": 7}""", 200, """{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params"},"id":7}""" },
        { "missing params", """{"jsonrpc": "2.0", "method": "math.add", "params": [1], "id": 8}""", 200, """{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params"},"id":8}""" },
        { "method error keeps its code", """{"jsonrpc": "2.0", "method": "math.divide", "params": [1, 0], "id": 9}""", 200, """{"jsonrpc":"2.0","error":{"code":4000,"message":"division by zero"},"id":9}""" },
        { "wrong version", """{"jsonrpc": "1.0", "method": "math.add", "params": [1, 1], "id": 10}""", 200, """{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":10}""" },
        { "params not structured", """{"jsonrpc": "2.0", "method": "math.add", "params": 5, "id": 11}""", 200, """{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":11}""" },
        { "scalar body", "42", 200, """{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid Request"},"id":null}""" },
        // member names are compared unescaped, and members may come in any order
        { "escaped member names", """{"id": 12, "params": [2, 3], "\u006dethod": "math.add", "json\u0072pc": "2.0"}""", 200, """{"jsonrpc":"2.0","result":5,"id":12}""" },
        { "every member name escaped", """{"\u0069d": 15, "\u0070arams": [4, 5], "m\u0065thod": "math.add", "jsonrp\u0063": "2.0"}""", 200, """{"jsonrpc":"2.0","result":9,"id":15}""" },
        { "names that only look alike", """{"ID": 16, "Method": "math.add", "jsonrpc": "2.0", "method": "math.add", "paramz": [1, 1], "params": [2, 2], "idx": 0, "id": 17}""", 200, """{"jsonrpc":"2.0","result":4,"id":17}""" },
        { "unknown members ignored", """{"extra": {"id": 99}, "jsonrpc": "2.0", "method": "math.add", "params": [1, 2], "id": 13}""", 200, """{"jsonrpc":"2.0","result":3,"id":13}""" },
        { "duplicate member refused", """{"jsonrpc": "2.0", "method": "math.add", "method": "math.divide", "params": [1, 2], "id": 14}""", 200, """{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}""" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Specification_Example_IsAnsweredExactly(string name, string request, int status, string? expected)
    {
        var response = await Post(request);

        Assert.True(status == response.StatusCode, $"{name}: status {response.StatusCode}, body {response.Body}");
        if (expected is null)
        {
            Assert.Equal("", response.Body);
            return;
        }

        Assert.Equal(expected, WithoutErrorData(response.Body));
    }

    [Fact]
    public async Task Errors_CarryAnExplanationInData()
    {
        var response = await Post("""{"jsonrpc": "2.0", "method": "math.add", "params": ["x", 1], "id": 1}""");

        Assert.Equal("Invalid parameters: 'a' must be an integer (int)", response.Json!.Value.GetProperty("error").GetProperty("data").GetString());
    }

    [Fact]
    public async Task Notification_RunsTheMethod()
    {
        await _host.Toto.CreateAccountAsync("ada", AuthHosts.Password);
        var session = _host.Toto.SessionId!;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api") { Content = Json("""{"jsonrpc": "2.0", "method": "counter.increment"}""") };
        request.Headers.Add("x-toto-session-id", session);
        var notification = await _host.Toto.SendAsync(request);

        Assert.Equal(200, notification.StatusCode);
        Assert.Equal("", notification.Body);
        Assert.Equal(2, (await _host.Toto.CallAsync("counter.increment")).Result.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Batch_OverTheLimit_IsOneClearError()
    {
        var calls = string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{"jsonrpc":"2.0","method":"math.add","params":[{{i}},0],"id":{{i}}}"""));

        var response = await Post("[" + calls + "]");

        var error = response.Json!.Value.GetProperty("error");
        Assert.Equal(-32600, error.GetProperty("code").GetInt32());
        Assert.Equal("The batch has 101 calls; the limit is 100 (option max_batch_size).", error.GetProperty("data").GetString());
    }

    [Fact]
    public async Task Batch_AnswersInRequestOrder()
    {
        var calls = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{"jsonrpc":"2.0","method":"math.add","params":[{{i}},0],"id":{{i}}}"""));

        var response = await Post("[" + calls + "]");

        Assert.Equal(Enumerable.Range(0, 40), response.Json!.Value.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        Assert.Equal(Enumerable.Range(0, 40), response.Json!.Value.EnumerateArray().Select(r => r.GetProperty("result").GetInt32()));
    }

    [Theory]
    [InlineData("GET", 405)]
    [InlineData("PUT", 405)]
    public async Task OtherVerbs_Answer405(string verb, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(verb), "/api");

        Assert.Equal(status, (await _host.Toto.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task WrongContentType_Answers415WithAJsonRpcError()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api") { Content = new StringContent("{}", Encoding.UTF8, "text/plain") };

        var response = await _host.Toto.SendAsync(request);

        Assert.Equal(415, response.StatusCode);
        Assert.Equal(-32600, response.Json!.Value.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("application/json-rpc")]
    [InlineData("application/jsonrequest")]
    [InlineData("application/json-rpc; charset=utf-8")]
    public async Task JsonRpcMediaTypes_AreAccepted(string contentType)
    {
        var content = new StringContent("""{"jsonrpc": "2.0", "method": "math.add", "params": [40, 2], "id": 1}""", Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await _host.Toto.PostAsync("api", content);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(42, response.Json!.Value.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task GemstoneClient_GetsBothMembersInEveryAnswer_OthersGetTheExactShape()
    {
        const string Batch = """[{"jsonrpc": "2.0", "method": "math.add", "params": [1, 2], "id": 1}, {"jsonrpc": "2.0", "method": "math.divide", "params": [1, 0], "id": 2}]""";
        using var gemstone = new HttpRequestMessage(HttpMethod.Post, "/api") { Content = Json(Batch) };
        gemstone.Headers.UserAgent.ParseAdd("gemstone-client");

        var lenient = await _host.Toto.SendAsync(gemstone);
        var exact = await Post(Batch);

        Assert.Equal("""[{"jsonrpc":"2.0","result":3,"error":null,"id":1},{"jsonrpc":"2.0","result":null,"error":{"code":4000,"message":"division by zero"},"id":2}]""", WithoutErrorData(lenient.Body));
        Assert.Equal("""[{"jsonrpc":"2.0","result":3,"id":1},{"jsonrpc":"2.0","error":{"code":4000,"message":"division by zero"},"id":2}]""", WithoutErrorData(exact.Body));
    }

    [Fact]
    public async Task InvalidUtf8_IsAParseError()
    {
        var content = new ByteArrayContent([.. "{\"jsonrpc\":\"2.0\",\"method\":\""u8, 0xFF, .. "\",\"id\":1}"u8]);
        content.Headers.ContentType = new("application/json");

        var response = await _host.Toto.PostAsync("api", content);

        Assert.Equal(-32700, response.Json!.Value.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task OversizedBody_Answers413()
    {
        var response = await Post("""{"jsonrpc":"2.0","method":"greeting.hello","params":[" """ + new string('x', 2 * 1024 * 1024) + "\"],\"id\":1}");

        Assert.Equal(413, response.StatusCode);
    }

    private Task<TotoResponse> Post(string body) => _host.Toto.PostAsync("api", Json(body));

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string WithoutErrorData(string body)
    {
        var node = JsonNode.Parse(body)!;
        foreach (var response in node is JsonArray array ? array.ToArray() : [node])
        {
            (response!["error"] as JsonObject)?.Remove("data");
        }

        return node.ToJsonString();
    }
}
