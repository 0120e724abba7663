using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tessera.Tests.Hosting;

/// <summary>
/// HelloService published with Native AOT, as docs/deployment.md tells a user to, run as a native program on a real
/// SQLite file and called on every wire: its own methods and Tessera's built-in ones, session state, events, documents
/// and bad input. It proves the path Tessera takes without code made at run time (reflection invokers, build-time
/// serializer metadata) and that trimming kept what the registry reads.
/// </summary>
[Collection(NativeAotPublishes.Collection)]
public sealed class NativeAotServiceTests
{
    // Warnings the publish may print: whole assemblies of third-party packages HelloService references (Newtonsoft's
    // BSON reader behind Tessera.Bson; the Redis client, where trimming keeps it), none of Tessera's own code.
    private static readonly string[] ThirdPartyAssemblies = ["StackExchange.Redis", "Newtonsoft.Json"];

    [NeedsToolFact("clang")]
    public async Task HelloService_PublishedWithNativeAot_AnswersOnEveryWire()
    {
        var output = Directory.CreateTempSubdirectory("tessera-aot-service-");
        var data = Directory.CreateTempSubdirectory("tessera-aot-data-");
        try
        {
            var project = Path.Combine(ExternalTool.RepositoryRoot, "samples", "HelloService");
            // Warnings stay warnings here: the third-party ones above would fail this repository's warnings-as-errors.
            var (published, log, errors) = await ExternalTool.RunAsync("dotnet",
                ["publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-p:TreatWarningsAsErrors=false",
                    "-p:DebugType=none", "-tl:off", "-o", output.FullName], timeout: TimeSpan.FromMinutes(10));
            Assert.True(published == 0, log + errors);
            var warnings = log.Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)).Distinct().ToList();
            Assert.All(warnings, w => Assert.Contains(ThirdPartyAssemblies, a => w.Contains($"Assembly '{a}'", StringComparison.Ordinal)));

            await using var service = await ServiceProcess.StartExecutableAsync(
                Path.Combine(output.FullName, "HelloService"), ServiceProcess.FreePort(), "--data_dir=" + data.FullName);
            using var http = service.Client();

            Assert.Contains("tessera.db", service.Output, StringComparison.Ordinal);
            Assert.Equal("hello aot", (await GetResultAsync(http, "/greeting/hello?name=aot")).GetString());
            Assert.Equal(42, (await PostResultAsync(http, "/", """{"method":"math.add","parameters":{"a":40,"b":2}}""")).GetInt32());

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
            output.Delete(recursive: true);
            data.Delete(recursive: true);
        }
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
