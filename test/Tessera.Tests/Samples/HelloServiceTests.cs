using System.Net.Http.Json;

namespace Tessera.Tests.Samples;

/// <summary>HelloService's contract, which scripted checks rely on: the exact names and answers.</summary>
public sealed class HelloServiceTests
{
    private static Task<TesseraTestHost> Start(bool kestrel) =>
        Hosts.StartHelloServiceAsync(o => o.UseKestrel = kestrel);

    public static TheoryData<bool> Servers => [false, true];

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task GreetingHello_AnswersHelloPlusName(bool kestrel)
    {
        await using var host = await Start(kestrel);

        Assert.Equal("hello world", (await host.Toto.CallAsync("greeting.hello", new { name = "world" })).Result.GetString());
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task MathAdd_AddsTwoIntegers(bool kestrel)
    {
        await using var host = await Start(kestrel);

        Assert.Equal(-5, (await host.Toto.CallAsync("math.add", new { a = 10, b = -15 })).Result.GetInt32());
        Assert.Equal(1003, (await host.Toto.CallAsync("math.add", new { a = 1.5, b = 1 })).ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task MathDivide_DividesAndFailsWith4000OnZero(bool kestrel)
    {
        await using var host = await Start(kestrel);

        Assert.Equal(2.5, (await host.Toto.CallAsync("math.divide", new { a = 5, b = 2 })).Result.GetDouble());
        var zero = await host.Toto.CallAsync("math.divide", new { a = 5, b = 0 });
        Assert.Equal(4000, zero.ErrorCode);
        Assert.Equal("division by zero", zero.ErrorValue.GetString());
    }
}

/// <summary>HelloService started the way the README starts it: a real process, real Kestrel, real signals.</summary>
public sealed class HelloServiceProcessTests
{
    [Fact]
    public async Task Process_ServesEveryCallStyleOnTheGivenPort()
    {
        await using var service = await ServiceProcess.StartAsync("HelloService", "--database=memory");
        using var client = service.Client();

        var envelope = await client.PostAsync("/", JsonContent.Create(new { method = "greeting.hello", parameters = new { name = "ada" } }));
        var urlStyle = await client.PostAsync("/math/add", JsonContent.Create(new { a = 2, b = 3 }));
        var get = await client.GetStringAsync("/math.add?a=1&b=41");

        Assert.Equal("""{"result":"hello ada"}""", await envelope.Content.ReadAsStringAsync());
        Assert.Equal("""{"result":5}""", await urlStyle.Content.ReadAsStringAsync());
        Assert.Equal("""{"result":42}""", get);
        Assert.Contains($"Now listening on: http://127.0.0.1:{service.Port}", service.Output);
    }

    [Fact]
    public async Task Process_Sigterm_ShutsDownGracefullyWithExitCode0()
    {
        await using var service = await ServiceProcess.StartAsync("HelloService", "--database=memory");
        using var client = service.Client();
        await client.GetStringAsync("/greeting/hello?name=x");

        var exitCode = await service.TerminateAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("Application is shutting down", service.Output);
    }

    [Fact]
    public async Task Process_Help_PrintsOptionsAndExits0()
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync("HelloService", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("Usage: HelloService", output);
        Assert.Contains("--port=8888", output);
        Assert.Contains("--max_request_body_size=1048576", output);
        Assert.DoesNotContain("Now listening", output);
    }

    [Fact]
    public async Task Process_InvalidOption_FailsAtStartupWithTheReason()
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync("HelloService", "--port=" + ServiceProcess.FreePort(), "--max_batch_size=0");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("max_batch_size must be at least 1 (got 0).", output);
    }
}
