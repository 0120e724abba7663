using System.Net.Http.Headers;
using Newtonsoft.Json.Bson;
using Newtonsoft.Json.Linq;
using Tessera.Buffers;
using Tessera.Wires.Http;
using Tessera.Wires.MessagePack;

namespace Tessera.Tests.Wires.Formats;

/// <summary>MessagePack and BSON bodies on the Toto endpoint, for every value type they carry.</summary>
public sealed class BodyFormatTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() => _host = await TesseraTestHost.StartAsync(t =>
    {
        t.AddBson().Methods.AddAssembly(typeof(HelloService.Greeting).Assembly).AddType<Shapes>();
        t.AddAccounts();
        t.Methods.Add("types.echo", (JsonElement value) => value);
        t.Methods.Add("types.bytes", (byte[] data) => data.Reverse().ToArray());
        t.Methods.Add("types.when", (DateTime when) => when.AddDays(1));
    }, o => o.Configuration["Tessera:Storage:Database"] = "Memory");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> Values => new()
    {
        "null", "true", "false", "0", "-1", "127", "-33", "300", "-70000", "4294967296", "-9223372036854775808",
        "2.5", "-0.125", "\"\"", "\"text\"", "\"é😀\"", "[]", "[1,\"a\",null,[true]]", "{}", "{\"a\":{\"b\":[1,2]},\"c\":\"d\"}",
    };

    // MessagePack

    private async Task<(string? ContentType, string Json)> MessagePackCall(string envelope, string? accept = null)
    {
        using var document = JsonDocument.Parse(envelope);
        using var buffer = new PooledBufferWriter();
        JsonToMessagePack.Write(buffer, document.RootElement);
        var content = new ByteArrayContent(buffer.WrittenMemory.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/msgpack");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await _host.Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var contentType = response.Content.Headers.ContentType?.MediaType;
        return (contentType, contentType == "application/msgpack" ? DecodeMessagePack(bytes) : System.Text.Encoding.UTF8.GetString(bytes));
    }

    private static string DecodeMessagePack(byte[] bytes)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            MessagePackToJson.Convert(bytes, writer, 64);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenMemory.Span);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public async Task MessagePack_EveryValue_RoundTrips(string value)
    {
        var (_, json) = await MessagePackCall($$$"""{"method":"types.echo","parameters":{"value":{{{value}}}}}""");

        Assert.Equal($$"""{"result":{{JsonSerializer.Serialize(JsonDocument.Parse(value).RootElement)}}}""", json);
    }

    [Fact]
    public async Task MessagePack_BinaryInAndOut_IsBin()
    {
        // {"method": "types.bytes", "parameters": {"data": bin 8 of 1, 2, 3}}
        byte[] request = [0x82, 0xa6, .. "method"u8, 0xab, .. "types.bytes"u8, 0xaa, .. "parameters"u8, 0x81, 0xa4, .. "data"u8, 0xc4, 0x03, 0x01, 0x02, 0x03];
        var content = new ByteArrayContent(request);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/msgpack");

        using var response = await _host.Http.PostAsync("/", content);
        var answer = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/msgpack", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x81, 0xa6, .. "result"u8, 0xc4, 0x03, 0x03, 0x02, 0x01], answer);
    }

    [Fact]
    public async Task MessagePack_ErrorsAndBatches_AnswerInMessagePack()
    {
        var (_, error) = await MessagePackCall("""{"method":"math.divide","parameters":{"a":1,"b":0}}""");
        var (_, batch) = await MessagePackCall("""{"batch":{"x":{"method":"math.add","parameters":{"a":1,"b":2}}}}""");

        Assert.Equal("""{"error":{"code":4000,"value":"division by zero"}}""", error);
        Assert.Equal("""{"batch":{"x":{"result":3}}}""", batch);
    }

    [Fact]
    public async Task MessagePack_AcceptJson_AnswersJson()
    {
        var (contentType, json) = await MessagePackCall("""{"method":"math.add","parameters":{"a":1,"b":2}}""", accept: "application/json");

        Assert.Equal("application/json", contentType);
        Assert.Equal("""{"result":3}""", json);
    }

    [Fact]
    public async Task Json_WithAcceptMessagePack_AnswersMessagePack()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/math/add?a=2&b=3");
        request.Headers.Accept.ParseAdd("application/msgpack");

        using var response = await _host.Http.SendAsync(request);

        Assert.Equal([0x81, 0xa6, .. "result"u8, 0x05], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(new byte[] { 0xc1 })]
    [InlineData(new byte[] { 0x82, 0xa6 })]
    [InlineData(new byte[] { 0xdf, 0x7f, 0xff, 0xff, 0xff })]
    public async Task MessagePack_Malformed_Answers400With1011(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/msgpack");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.Accept.ParseAdd("application/json");

        var response = await _host.Toto.SendAsync(request);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(1011, response.ErrorCode);
        Assert.StartsWith("The application/msgpack body is malformed:", response.ErrorValue.GetString());
        Assert.Equal(3, (await _host.Toto.CallAsync("math.add", new { a = 1, b = 2 })).Result.GetInt32());
    }

    // BSON

    private async Task<JObject> BsonCall(JObject envelope)
    {
        using var stream = new MemoryStream();
        using (var writer = new BsonDataWriter(stream))
        {
            envelope.WriteTo(writer);
        }

        var content = new ByteArrayContent(stream.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/bson");
        using var response = await _host.Http.PostAsync("/", content);
        Assert.Equal("application/bson", response.Content.Headers.ContentType?.MediaType);
        using var reader = new BsonDataReader(new MemoryStream(await response.Content.ReadAsByteArrayAsync())) { DateTimeKindHandling = DateTimeKind.Utc };
        return (JObject)JToken.ReadFrom(reader);
    }

    private static JObject Envelope(string method, JObject parameters) => new() { ["method"] = method, ["parameters"] = parameters };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Bson_EveryValue_RoundTrips(string value)
    {
        var answer = await BsonCall(Envelope("types.echo", new JObject { ["value"] = JToken.Parse(value) }));

        Assert.True(JToken.DeepEquals(JToken.Parse(value), answer["result"]), $"sent {value}, got {answer}");
    }

    [Fact]
    public async Task Bson_BinaryAndDates_UseBsonTypes()
    {
        var bytes = await BsonCall(Envelope("types.bytes", new JObject { ["data"] = new JValue(new byte[] { 1, 2, 3 }) }));
        var date = await BsonCall(Envelope("types.when", new JObject { ["when"] = new JValue(new DateTime(2026, 11, 21, 10, 0, 0, DateTimeKind.Utc)) }));

        Assert.Equal(JTokenType.Bytes, bytes["result"]!.Type);
        Assert.Equal(new byte[] { 3, 2, 1 }, (byte[])bytes["result"]!);
        // A BSON datetime binds to a DateTime parameter; a DateTime result travels as an ISO 8601 string.
        Assert.Equal("2026-11-22T10:00:00Z", (string)date["result"]!);
    }

    [Fact]
    public async Task Bson_Errors_AnswerInBson()
    {
        var answer = await BsonCall(Envelope("math.divide", new JObject { ["a"] = 1, ["b"] = 0 }));

        Assert.Equal(4000, (int)answer["error"]!["code"]!);
        Assert.Equal("division by zero", (string)answer["error"]!["value"]!);
    }

    [Theory]
    [InlineData(new byte[] { 0x05, 0x00 })]
    [InlineData(new byte[] { 0x10, 0x00, 0x00, 0x00, 0x02, 0x61, 0x00 })]
    [InlineData(new byte[] { 0x05, 0x00, 0x00, 0x00, 0x00, 0x99 })]
    public async Task Bson_Malformed_Answers400With1011(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/bson");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.Accept.ParseAdd("application/json");

        var response = await _host.Toto.SendAsync(request);

        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith("The application/bson body is malformed:", response.ErrorValue.GetString());
    }
}
