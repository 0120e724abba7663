using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Tessera.Tests.Hosting;

/// <summary>
/// MapTessera composes with the rest of an application: static files and the app's own endpoints are served, calls
/// still work, and no UseRouting or UseWebSockets is needed.
/// </summary>
public sealed class HostingCompositionTests : IAsyncLifetime
{
    private readonly DirectoryInfo _webRoot = Directory.CreateTempSubdirectory("tessera-wwwroot-");
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(_webRoot.FullName, "index.html"), "<h1>home</h1>");
        File.WriteAllText(Path.Combine(_webRoot.FullName, "hello.txt"), "plain file");
        Directory.CreateDirectory(Path.Combine(_webRoot.FullName, "docs"));
        File.WriteAllText(Path.Combine(_webRoot.FullName, "docs", "index.html"), "<h1>docs</h1>");
        _host = await Hosts.StartAsync(t => t.Methods.AddType<HelloService.Greeting>().AddType<HelloService.MathMethods>(), o =>
        {
            o.UseKestrel = true;
            o.ConfigureBuilder = builder =>
            {
                builder.Environment.WebRootPath = _webRoot.FullName;
                builder.Environment.WebRootFileProvider = new PhysicalFileProvider(_webRoot.FullName);
            };
            o.ConfigureApp = app =>
            {
                app.UseDefaultFiles();
                app.UseStaticFiles();
                app.MapGet("/status", () => "up");
            };
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _webRoot.Delete(recursive: true);
    }

    [Theory]
    [InlineData("/hello.txt", "plain file")]
    [InlineData("/", "<h1>home</h1>")]
    [InlineData("/index.html", "<h1>home</h1>")]
    [InlineData("/docs/", "<h1>docs</h1>")]
    [InlineData("/status", "up")]
    public async Task FilesAndEndpointsOfTheApp_AreServed_BesideMapTessera(string path, string expected)
    {
        using var response = await _host.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Calls_StillWorkByEveryUrlForm_AndOverTheSocket()
    {
        var dotted = await _host.Toto.GetAsync("math.add?a=1&b=41");
        var slashed = await _host.Toto.GetAsync("math/add?a=1&b=1");
        var envelope = await _host.Toto.CallAsync("greeting.hello", new { name = "ada" });
        await using var socket = await WebSocketClient.ConnectAsync(_host.Http.BaseAddress!, "/ws");
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"math.add","params":[40,2],"id":1}""");

        Assert.Equal(42, dotted.Result.GetInt32());
        Assert.Equal(2, slashed.Result.GetInt32());
        Assert.Equal("hello ada", envelope.Result.GetString());
        Assert.Equal(42, (await socket.ReceiveAsync())!.Value.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task MissingFile_IsStillACallThatFailsClearly()
    {
        var response = await _host.Toto.GetAsync("nothing.here");

        Assert.Equal(1001, response.ErrorCode);
    }
}

/// <summary>The one-line host as a real process: Production defaults and option checks.</summary>
public sealed class TesseraServerProcessTests
{
    [Fact]
    public async Task ProductionRun_WritesNoPerRequestLogLines()
    {
        await using var service = await ServiceProcess.StartAsync("HelloService", "--database=memory");
        using var client = service.Client();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/math/add?a=1&b=2");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var missing = await client.GetAsync("/no/such/method");
        await Task.Delay(500);

        Assert.Contains("Now listening on", service.Output);
        Assert.DoesNotContain("Request starting", service.Output);
        Assert.DoesNotContain("Request finished", service.Output);
        Assert.DoesNotContain("Executing endpoint", service.Output);
    }

    [Fact]
    public async Task ProductionRun_LogLevelsStayConfigurable()
    {
        await using var service = await ServiceProcess.StartAsync("HelloService", "--database=memory", "--Logging:LogLevel:Microsoft.AspNetCore=Information");
        using var client = service.Client();
        using var response = await client.GetAsync("/math/add?a=1&b=2");
        await Task.Delay(500);

        Assert.Contains("Request finished", service.Output);
    }

    [Theory]
    [InlineData("--databse=memory", "unknown option --databse; did you mean --database?")]
    [InlineData("--hmac=sometimes", "--hmac=sometimes: allowed values are off, legacy, toto, signed.")]
    [InlineData("--port=eighty", "--port=eighty: expected a number.")]
    [InlineData("--database=oracle", "--database=oracle: no store backend of that name is registered; registered: memory (")]
    public async Task BadOption_StopsStartUpWithOneLineNamingTheFlag(string argument, string expected)
    {
        var (exitCode, output) = await ServiceProcess.RunToExitAsync("HelloService", argument);

        Assert.Equal(TesseraServer.BadOptionsExitCode, exitCode);
        Assert.Contains(expected, output);
        Assert.DoesNotContain("   at ", output);
    }
}
