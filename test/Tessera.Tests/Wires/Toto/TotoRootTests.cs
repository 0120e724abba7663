namespace Tessera.Tests.Wires.Toto;

public sealed class TotoRootTests
{
    [Fact]
    public async Task Root_MountsEveryCallStyleUnderThePrefix()
    {
        await using var host = await Hosts.StartHelloServiceAsync(o => o.Configuration["Tessera:Root"] = "/svc");
        host.Toto.Root = "/svc";

        Assert.Equal("hello ada", (await host.Toto.CallAsync("greeting.hello", new { name = "ada" })).Result.GetString());
        Assert.Equal(3, (await host.Toto.PostJsonAsync("math/add", """{"a":1,"b":2}""")).Result.GetInt32());
        Assert.Equal(7, (await host.Toto.GetAsync("math.add?a=3&b=4")).Result.GetInt32());
        Assert.Equal(404, (await host.Http.PostAsync("/math/add", new StringContent("{}"))).StatusCode switch
        {
            System.Net.HttpStatusCode code => (int)code,
        });
    }

    [Fact]
    public async Task Root_WithoutLeadingSlash_FailsAtStartup()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Hosts.StartAsync<Shapes>(o => o.Configuration["Tessera:Root"] = "svc"));

        Assert.Contains("root must start with '/' (got 'svc')", failure.Message);
    }
}
