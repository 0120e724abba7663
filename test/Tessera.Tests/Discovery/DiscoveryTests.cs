using System.Text;

namespace Tessera.Tests.Discovery;

public sealed class DiscoveryTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() => _host = await TesseraTestHost.StartAsync(
        t => t.AddAccounts().Methods.AddAssembly(typeof(HelloService.Greeting).Assembly).AddType<Probe>(),
        o =>
        {
            o.Configuration["Tessera:Storage:Database"] = "Memory";
            o.Configuration["Tessera:ServiceName"] = "hello";
            o.ConfigureBuilder = b => b.Services.AddSingleton<Clock>();
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonElement> Discover()
    {
        var response = await _host.Toto.PostAsync("api", new StringContent("""{"jsonrpc":"2.0","method":"rpc.discover","id":1}""", Encoding.UTF8, "application/json"));
        return response.Json!.Value.GetProperty("result");
    }

    private static JsonElement Method(JsonElement document, string name) =>
        document.GetProperty("methods").EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);

    [Fact]
    public async Task RpcDiscover_IsAnOpenRpcDocumentOfTheRegistry()
    {
        var document = await Discover();

        Assert.Equal("1.3.2", document.GetProperty("openrpc").GetString());
        Assert.Equal("hello", document.GetProperty("info").GetProperty("title").GetString());
        var names = document.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("math.add", names);
        Assert.Contains("account.login", names);
        Assert.Contains("probe.echo", names);
        Assert.DoesNotContain("rpc.discover", names);
        Assert.DoesNotContain("get_service_specs", names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task Method_HasParametersResultDescriptionsAndErrors()
    {
        var divide = Method(await Discover(), "math.divide");

        Assert.Equal("Divides one number by another.", divide.GetProperty("description").GetString());
        var parameters = divide.GetProperty("params").EnumerateArray().ToArray();
        Assert.Equal(["a", "b"], parameters.Select(p => p.GetProperty("name").GetString()));
        Assert.All(parameters, p => Assert.True(p.GetProperty("required").GetBoolean()));
        Assert.Equal("The divisor; zero fails with error 4000.", parameters[1].GetProperty("description").GetString());
        Assert.Equal("number", parameters[0].GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("number", divide.GetProperty("result").GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal("""[{"code":4000,"message":"division by zero"}]""", divide.GetProperty("errors").GetRawText());
    }

    [Fact]
    public async Task Description_WritesOutTheReferencesOfTheDocComment()
    {
        // Inbox.Send's summary: Sends <paramref name="message"/> to <paramref name="userId"/> and answers the event's id.
        var send = Method(await Discover(), "inbox.send");

        Assert.Equal("Sends message to user_id and answers the event's id.", send.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Schemas_FollowTheCSharpTypesAndWireNames()
    {
        var document = await Discover();

        var optional = Method(document, "probe.optional").GetProperty("params").EnumerateArray().ToArray();
        Assert.Equal([true, false, false], optional.Select(p => p.GetProperty("required").GetBoolean()));
        Assert.Equal("integer", optional[2].GetProperty("schema").GetProperty("type").GetString());
        var person = Method(document, "probe.echo").GetProperty("params")[0].GetProperty("schema");
        Assert.Equal(["first_name", "age", "home"], person.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        var colour = Method(document, "probe.colour").GetProperty("params")[0].GetProperty("schema");
        Assert.Equal(["red", "dark_blue"], colour.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var voidResult = Method(document, "probe.ints").GetProperty("result").GetProperty("schema");
        Assert.Equal("array", voidResult.GetProperty("type").GetString());
        Assert.DoesNotContain(Method(document, "probe.context").GetProperty("params").EnumerateArray(), p => p.GetProperty("name").GetString() == "context");
    }

    [Fact]
    public async Task Document_IsAlsoServedAtTheTesseraPath()
    {
        var served = await _host.Toto.GetAsync("_tessera/openrpc.json");

        Assert.Equal(200, served.StatusCode);
        Assert.Equal((await Discover()).GetRawText(), served.Json!.Value.GetRawText());
    }

    [Fact]
    public async Task GetServiceSpecs_AnswersGemstonesShape()
    {
        var response = await _host.Toto.PostAsync("api", new StringContent("""{"jsonrpc":"2.0","method":"get_service_specs","id":1}""", Encoding.UTF8, "application/json"));

        var specs = response.Json!.Value.GetProperty("result");
        Assert.Equal("hello", specs.GetProperty("name").GetString());
        Assert.Equal("Adds two integers.", specs.GetProperty("methods").GetProperty("math.add").GetString());
    }

    [Fact]
    public async Task MethodHelp_UsesTheSameDescriptions()
    {
        const string call = "<?xml version=\"1.0\"?><methodCall><methodName>system.methodHelp</methodName><params><param><value>greeting.hello</value></param></params></methodCall>";

        var response = await _host.Toto.PostAsync("RPC2", new StringContent(call, Encoding.UTF8, "text/xml"));

        Assert.Contains("<string>Greets someone by name.</string>", response.Body);
    }
}
