using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Newtonsoft.Json.Bson;
using Newtonsoft.Json.Linq;
using Tessera.Buffers;
using Tessera.Tests.ScaleOut;
using Tessera.Wires.MessagePack;

namespace Tessera.Tests.Hosting;

/// <summary>
/// HelloService published with Native AOT, as docs/deployment.md tells a user to, run as a native program on a real
/// SQLite file and called on every wire: its own methods and Tessera's built-in ones, session state, events, documents,
/// a password reset mailed over SMTP, and bad input, in JSON, MessagePack and BSON; then on the PostgreSQL, MySQL, Redis
/// and NATS stores. It proves the path Tessera takes without code made at run time (reflection invokers, build-time
/// serializer metadata) and that trimming kept what the registry reads.
/// </summary>
[Collection(NativeAotPublishes.Collection)]
public sealed class NativeAotServiceTests(NativeHelloService native) : IClassFixture<NativeHelloService>
{
    [NeedsToolFact("clang")]
    public async Task HelloService_PublishedWithNativeAot_AnswersOnEveryWire()
    {
        var executable = await native.ExecutableAsync();
        var data = Directory.CreateTempSubdirectory("tessera-aot-data-");
        await using var smtp = new SmtpSink();
        try
        {
            await using var service = await ServiceProcess.StartExecutableAsync(
                executable, ServiceProcess.FreePort(), "--data_dir=" + data.FullName, "--smtp_host=127.0.0.1",
                "--smtp_port=" + smtp.Port, "--mail_from=Hello <no-reply@example.com>",
                "--password_reset_link=https://app.example/reset#token={token}");
            using var http = service.Client();

            Assert.Contains("tessera.db", service.Output, StringComparison.Ordinal);
            Assert.Equal("hello aot", (await GetResultAsync(http, "/greeting/hello?name=aot")).GetString());
            Assert.Equal(42, (await PostResultAsync(http, "/", """{"method":"math.add","parameters":{"a":40,"b":2}}""")).GetInt32());

            // MessagePack and BSON bodies; BSON is read by Newtonsoft's reader, the library the publish may warn about.
            Assert.Equal(42, (await PostBinaryAsync(http, "application/msgpack", MessagePackEnvelope("""{"method":"math.add","parameters":{"a":40,"b":2}}""")))
                .GetProperty("result").GetInt32());
            var bson = await PostBinaryAsync(http, "application/bson",
                BsonEnvelope(new JObject { ["method"] = "greeting.hello", ["parameters"] = new JObject { ["name"] = "bson" } }));
            Assert.Equal("hello bson", bson.GetProperty("result").GetString());

            // JSON-RPC: a batch with a value-type result and a method's own error.
            var batch = await PostAsync(http, "/api", """
                [{"jsonrpc":"2.0","id":1,"method":"math.divide","params":{"a":1,"b":4}},
                 {"jsonrpc":"2.0","id":2,"method":"math.divide","params":{"a":1,"b":0}}]
                """);
            Assert.Equal(0.25, batch[0].GetProperty("result").GetDouble());
            Assert.Equal(4000, batch[1].GetProperty("error").GetProperty("code").GetInt32());

            // Tessera's built-in methods (trimmed with Tessera, kept by its annotations) and its records' metadata.
            var created = await PostAsync(http, "/api",
                """{"jsonrpc":"2.0","id":1,"method":"account.create","params":{"user_id":"ada","password":"correct horse battery"}}""");
            var sessionId = created.GetProperty("result").GetProperty("session_id").GetString()!;
            Assert.True(created.GetProperty("result").GetProperty("expires").GetDouble() > 0);
            http.DefaultRequestHeaders.Add("x-toto-session-id", sessionId);

            // Session state (an int through the stored values' configuration) and a record of the service's own context.
            Assert.Equal(1, (await PostResultAsync(http, "/", """{"method":"counter.increment"}""")).GetProperty("count").GetInt32());
            Assert.Equal(2, (await PostResultAsync(http, "/", """{"method":"counter.increment"}""")).GetProperty("count").GetInt32());

            // An event with a record payload, received over Server-Sent Events.
            using var events = await http.GetAsync(new Uri("/events?topics=announcements", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
            await PostResultAsync(http, "/", """{"method":"announcement.post","parameters":{"text":"native"}}""");
            var line = await ReadDataLineAsync(reader);
            using (var payload = JsonDocument.Parse(line))
            {
                Assert.Equal("ada", payload.RootElement.GetProperty("from").GetString());
                Assert.Equal("native", payload.RootElement.GetProperty("text").GetString());
            }

            // XML-RPC, with the method's description read from HelloService.xml beside the program.
            var help = await http.PostAsync(new Uri("/RPC2", UriKind.Relative), new StringContent(
                "<?xml version=\"1.0\"?><methodCall><methodName>system.methodHelp</methodName><params><param><value>" +
                "<string>math.add</string></value></param></params></methodCall>", Encoding.UTF8, "text/xml"));
            Assert.Contains("<string>Adds two integers.</string>", await help.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // A password reset mailed through Tessera.Mail (MailKit over SMTP), and the new password signs in.
            var requested = await PostResultAsync(http, "/", """{"method":"account.create","parameters":{"user_id":"grace@example.com","password":"correct horse battery"}}""");
            Assert.NotNull(requested.GetProperty("session_id").GetString());
            await PostResultAsync(http, "/", """{"method":"account.request_password_reset","parameters":{"user_id":"grace@example.com"}}""");
            var mail = await smtp.NextAsync();
            Assert.Equal(["grace@example.com"], mail.To);
            var reset = JsonSerializer.Serialize(new { method = "account.reset_password", parameters = new { token = mail.Token(), password = "a brand new passphrase" } });
            Assert.Equal("grace@example.com", (await PostResultAsync(http, "/", reset)).GetProperty("user_id").GetString());
            using (var fresh = service.Client())
            {
                var login = await PostResultAsync(fresh, "/", """{"method":"account.login","parameters":{"user_id":"grace@example.com","password":"a brand new passphrase"}}""");
                Assert.NotNull(login.GetProperty("session_id").GetString());
            }

            // Discovery documents, built from the registry and the types' JSON schemas.
            var discover = await PostAsync(http, "/api", """{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}""");
            Assert.Contains(discover.GetProperty("result").GetProperty("methods").EnumerateArray(), m => m.GetProperty("name").GetString() == "counter.increment");
            using var openApi = JsonDocument.Parse(await http.GetStringAsync(new Uri("/_tessera/openapi.json", UriKind.Relative)));
            Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/math/add", out _));

            // Bad input gets its documented error, and the process stays up.
            var wrongType = await PostAsync(http, "/api", """{"jsonrpc":"2.0","id":1,"method":"math.add","params":{"a":"x","b":2}}""");
            Assert.Equal(-32602, wrongType.GetProperty("error").GetProperty("code").GetInt32());
            var malformed = await PostAsync(http, "/api", """{"jsonrpc":"2.0",""");
            Assert.Equal(-32700, malformed.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal("hello again", (await GetResultAsync(http, "/greeting/hello?name=again")).GetString());
            Assert.DoesNotContain("Exception", service.Output, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The same program on the stores a service outgrows SQLite for, as docs/scaling.md deploys them: accounts, sessions
    /// and events written and read through Npgsql, MySqlConnector, StackExchange.Redis and NATS.Net in native code.
    /// </summary>
    [NeedsServerTheory("postgres", "redis", "mariadb", "nats", Tool = "clang")]
    [InlineData("database", false)]
    [InlineData("redis", false)]
    [InlineData("mysql", true)]
    public async Task HelloService_PublishedWithNativeAot_KeepsAccountsSessionsAndEventsOnEachStore(string sessionStore, bool eventsOnNats)
    {
        var executable = await native.ExecutableAsync();
        // As ServiceCluster deploys them: PostgreSQL, PostgreSQL with sessions and events on Redis, or MariaDB.
        List<string> arguments = [.. await ServiceCluster.StoreArgumentsAsync(sessionStore)];
        if (eventsOnNats)
        {
            var nats = await NatsServer.SharedAsync();
            arguments.AddRange(["--events=nats", "--nats=" + nats.Url, "--nats_stream=" + NatsServer.NewStream()]);
        }

        await using var service = await ServiceProcess.StartExecutableAsync(executable, ServiceProcess.FreePort(), [.. arguments]);
        using var http = service.Client();

        var created = await PostResultAsync(http, "/", """{"method":"account.create","parameters":{"user_id":"ada","password":"correct horse battery"}}""");
        http.DefaultRequestHeaders.Add("x-toto-session-id", created.GetProperty("session_id").GetString());
        Assert.Equal(1, (await PostResultAsync(http, "/", """{"method":"counter.increment"}""")).GetProperty("count").GetInt32());
        Assert.Equal(2, (await PostResultAsync(http, "/", """{"method":"counter.increment"}""")).GetProperty("count").GetInt32());

        using var events = await http.GetAsync(new Uri("/events?topics=announcements", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        await PostResultAsync(http, "/", """{"method":"announcement.post","parameters":{"text":"stored"}}""");
        using (var payload = JsonDocument.Parse(await ReadDataLineAsync(reader)))
        {
            Assert.Equal("stored", payload.RootElement.GetProperty("text").GetString());
        }

        // Signed out through the session store: the session no longer counts.
        await PostResultAsync(http, "/", """{"method":"account.logout"}""");
        var refused = await PostAsync(http, "/", """{"method":"counter.increment"}""");
        Assert.Equal(1004, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.DoesNotContain("Exception", service.Output, StringComparison.Ordinal);
    }

    /// <summary>Posts a binary envelope and asks for the answer in JSON.</summary>
    private static async Task<JsonElement> PostBinaryAsync(HttpClient http, string contentType, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static byte[] MessagePackEnvelope(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new PooledBufferWriter();
        JsonToMessagePack.Write(buffer, document.RootElement);
        return buffer.WrittenMemory.ToArray();
    }

    private static byte[] BsonEnvelope(JObject envelope)
    {
        using var stream = new MemoryStream();
        using (var writer = new BsonDataWriter(stream))
        {
            envelope.WriteTo(writer);
        }

        return stream.ToArray();
    }

    private static async Task<JsonElement> GetResultAsync(HttpClient http, string pathAndQuery)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(pathAndQuery, UriKind.Relative)));
        return document.RootElement.GetProperty("result").Clone();
    }

    private static async Task<JsonElement> PostResultAsync(HttpClient http, string path, string json)
    {
        var answer = await PostAsync(http, path, json);
        Assert.True(answer.TryGetProperty("result", out var result), answer.GetRawText());
        return result;
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static async Task<string> ReadDataLineAsync(StreamReader reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                return line["data:".Length..].Trim();
            }
        }

        throw new InvalidOperationException("The event stream ended before an event arrived.");
    }
}

/// <summary>
/// The tests that publish with Native AOT run one at a time: both build the samples' shared projects in Release, into
/// the same folders.
/// </summary>
public static class NativeAotPublishes
{
    public const string Collection = "Native AOT publishes";
}

/// <summary>See <see cref="NativeAotPublishes"/>.</summary>
[CollectionDefinition(NativeAotPublishes.Collection)]
public sealed class NativeAotPublishesCollection;
