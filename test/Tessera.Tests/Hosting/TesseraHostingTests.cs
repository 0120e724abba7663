using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Options;

namespace Tessera.Tests.Hosting;

public sealed class TesseraHostingTests
{
    [Fact]
    public async Task MapTessera_WithoutAddTessera_ThrowsNamingTheMissingCall()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var failure = Assert.Throws<InvalidOperationException>(() => app.MapTessera());

        Assert.Contains("Call 'builder.Services.AddTessera()'", failure.Message);
    }

    [Fact]
    public void AddTessera_CalledTwice_ReturnsTheSameBuilderAndRegistersOnce()
    {
        var services = new ServiceCollection();

        var first = services.AddTessera();
        var count = services.Count;
        var second = services.AddTessera();

        Assert.Same(first, second);
        Assert.Equal(count, services.Count);
    }

    [Fact]
    public async Task AddTessera_CodeOptions_AreOverriddenByConfiguration()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Tessera:MaxBatchSize"] = "9" });
        builder.Services.AddTessera(o =>
        {
            o.MaxBatchSize = 2;
            o.MaxJsonDepth = 10;
        });
        await using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptions<TesseraOptions>>().Value;

        Assert.Equal(9, options.MaxBatchSize);
        Assert.Equal(10, options.MaxJsonDepth);
    }

    [Theory]
    [InlineData("Tessera:Port", "70000", "port must be between 0 and 65535 (got 70000).")]
    [InlineData("Tessera:MaxRequestBodySize", "0", "max_request_body_size must be positive (got 0).")]
    [InlineData("Tessera:MaxJsonDepth", "0", "max_json_depth must be between 1 and 1000 (got 0).")]
    [InlineData("Tessera:MaxBatchSize", "0", "max_batch_size must be at least 1 (got 0).")]
    [InlineData("Tessera:Host", " ", "host must not be empty")]
    public async Task InvalidOptions_FailAtStartupNamingTheOption(string key, string value, string expected)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(
            () => Hosts.StartAsync<Shapes>(o => o.Configuration[key] = value));

        Assert.Contains(expected, failure.Message);
    }

    [Fact]
    public async Task ShutdownTimeout_ConfiguresTheHost()
    {
        await using var host = await Hosts.StartAsync<Shapes>(o => o.Configuration["Tessera:ShutdownTimeoutSeconds"] = "7");

        Assert.Equal(TimeSpan.FromSeconds(7), host.Services.GetRequiredService<IOptions<Microsoft.Extensions.Hosting.HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task GracefulStop_LetsACallInFlightFinish()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await Hosts.StartAsync(
            t => t.Methods.Add("slow.call", async () =>
            {
                started.SetResult();
                await Task.Delay(500);
                return "finished";
            }),
            o => o.UseKestrel = true);

        var call = host.Toto.CallAsync("slow.call");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stopping = host.StopAsync();
        var response = await call.WaitAsync(TimeSpan.FromSeconds(10));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("finished", response.Result.GetString());
    }
}
