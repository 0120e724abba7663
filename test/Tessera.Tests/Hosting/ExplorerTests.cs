using System.Text;

namespace Tessera.Tests.Hosting;

/// <summary>The explorer's serving rules: where it is on, how its files are protected, what its metrics count.</summary>
public sealed class ExplorerTests
{
    private static Task<TesseraTestHost> Start(string environment, string? explorer) =>
        TesseraTestHost.StartAsync(t => t.AddAccounts().Methods.AddAssembly(typeof(HelloService.Greeting).Assembly), o =>
        {
            o.Environment = environment;
            o.Configuration["Tessera:Storage:Database"] = "Memory";
            if (explorer is not null)
            {
                o.Configuration["Tessera:Explorer:Explorer"] = explorer;
            }
        });

    [Theory]
    [InlineData("Production", null, 404)]
    [InlineData("Development", null, 200)]
    [InlineData("Production", "on", 200)]
    [InlineData("Development", "off", 404)]
    public async Task Explorer_IsOnInDevelopment_OrWhenAskedFor(string environment, string? explorer, int status)
    {
        await using var host = await Start(environment, explorer);

        using var response = await host.Http.GetAsync("/_tessera/");

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task Explorer_WhenOff_SaysHowToTurnItOn()
    {
        await using var host = await Start("Production", null);

        using var response = await host.Http.GetAsync("/_tessera/explorer.js");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Contains("--explorer=on", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Explorer_WithoutItsTrailingSlash_RedirectsThere_KeepingTheQuery()
    {
        // The page's links are relative, so /_tessera must become /_tessera/ before they resolve.
        await using var host = await Start("Production", "on");

        using var response = await host.Http.GetAsync("/_tessera?x=1");

        Assert.Equal(302, (int)response.StatusCode);
        Assert.Equal("/_tessera/?x=1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Files_AreEmbedded_WithAPolicyThatAllowsNoInlineScript()
    {
        await using var host = await Start("Production", "on");

        using var page = await host.Http.GetAsync("/_tessera/");
        using var script = await host.Http.GetAsync("/_tessera/explorer.js");
        using var missing = await host.Http.GetAsync("/_tessera/nothing.js");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("<script>", html);            // only <script src>, which the policy allows
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase); // no CDN
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Fact]
    public async Task Metrics_CountCallsAndErrorsPerMethod_FromTheMeter()
    {
        await using var host = await Start("Production", "on");
        await host.Http.GetAsync("/_tessera/metrics.json"); // the listener starts with the explorer's routes

        for (var i = 0; i < 5; i++)
        {
            await host.Toto.CallAsync("math.add", new { a = i, b = 1 });
        }

        await host.Toto.CallAsync("math.divide", new { a = 1, b = 0 });
        var metrics = JsonDocument.Parse(await host.Http.GetStringAsync("/_tessera/metrics.json")).RootElement;

        var add = metrics.GetProperty("methods").GetProperty("math.add").EnumerateArray().ToList();
        Assert.Equal(120, add.Count);
        Assert.Equal(5, add.Sum(s => s.GetProperty("calls").GetInt64()));
        Assert.Contains(add, s => s.GetProperty("p99").ValueKind == JsonValueKind.Number);
        Assert.Equal(1, metrics.GetProperty("methods").GetProperty("math.divide").EnumerateArray().Sum(s => s.GetProperty("errors").GetInt64()));
    }
}
