using System.Text;

namespace Tessera.Tests.Auth.Throttling;

/// <summary>Per-method rate limits by policy name, through real Kestrel, on every wire.</summary>
public sealed class RateLimitTests
{
    private static Task<TesseraTestHost> StartAsync(Action<TesseraTestHostOptions>? options = null, Action<ITesseraBuilder>? configure = null) =>
        AuthHosts.StartAsync(
            o =>
            {
                o.UseKestrel = true;
                o.Configuration["Tessera:RateLimits:send:PermitLimit"] = "2";
                o.Configuration["Tessera:RateLimits:send:Window"] = "3600";
                options?.Invoke(o);
            },
            configure: t =>
            {
                t.Methods.AddType<Limited>();
                configure?.Invoke(t);
            });

    [Fact]
    public async Task OverTheLimit_Is1014WithRetryAfter_PerUser()
    {
        await using var host = await StartAsync();
        var ada = host.Toto.Fresh();
        ada.SessionId = (await ada.CreateAccountAsync("ada", AuthHosts.Password)).Result.GetProperty("session_id").GetString();
        var bob = host.Toto.Fresh();
        bob.SessionId = (await bob.CreateAccountAsync("bob", AuthHosts.Password)).Result.GetProperty("session_id").GetString();

        var answers = new List<TotoResponse>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await ada.CallAsync("limited.send", new { text = $"m{i}" }));
        }

        var bobs = await bob.CallAsync("limited.send", new { text = "b" });

        Assert.Equal([null, null, 1014], answers.Select(a => a.ErrorCode));
        Assert.Contains("retry in", answers[2].ErrorValue.GetString());
        Assert.True(int.Parse(answers[2].Header("Retry-After")!) >= 1);
        Assert.Null(answers[0].Header("Retry-After"));
        Assert.Null(bobs.ErrorCode);
    }

    [Fact]
    public async Task ABatch_CountsEveryEntry_AndRefusesOnlyThoseOver()
    {
        await using var host = await StartAsync(o => o.Configuration["Tessera:RateLimits:send:PartitionBy"] = "Address");

        using var response = await host.Http.PostAsync("api", new StringContent(
            """[{"jsonrpc":"2.0","method":"limited.open","params":{"text":"a"},"id":1},{"jsonrpc":"2.0","method":"limited.open","params":{"text":"b"},"id":2},{"jsonrpc":"2.0","method":"limited.open","params":{"text":"c"},"id":3}]""",
            Encoding.UTF8, "application/json"));
        var answers = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .OrderBy(a => a.GetProperty("id").GetInt32())
            .Select(a => a.TryGetProperty("error", out var e) ? e.GetProperty("code").GetInt32() : 0)
            .ToList();

        Assert.Equal(2, answers.Count(code => code == 0));
        Assert.Equal(1, answers.Count(code => code == 1014));
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task OverTheLimit_OnAWebSocket_Is1014()
    {
        await using var host = await StartAsync(o => o.Configuration["Tessera:RateLimits:send:PartitionBy"] = "Everyone");
        await using var socket = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");

        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            await socket.SendAsync($$"""{"jsonrpc":"2.0","method":"limited.open","params":["x"],"id":{{i}}}""");
            var answer = (await socket.ReceiveAsync())!.Value;
            codes.Add(answer.TryGetProperty("error", out var error) ? error.GetProperty("code").GetInt32() : 0);
        }

        Assert.Equal([0, 0, 1014], codes);
    }

    [Fact]
    public async Task CodeDefinesAPolicy_AndConfigurationOverridesIt()
    {
        await using var host = await StartAsync(
            o => o.Configuration["Tessera:RateLimits:code:PermitLimit"] = "1",
            t => t.AddRateLimit("code", permitLimit: 100, TimeSpan.FromMinutes(1), RateLimitScope.Everyone).Methods.AddType<ByCodePolicy>());

        var first = await host.Toto.CallAsync("by_code_policy.call");
        var second = await host.Toto.CallAsync("by_code_policy.call");

        Assert.Null(first.ErrorCode);
        Assert.Equal(1014, second.ErrorCode);
    }

    [Fact]
    public async Task AnUndefinedPolicy_StopsStartUp_NamingIt()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TesseraTestHost.StartAsync(t => t.Methods.AddType<Undefined>()));

        Assert.Contains("[RateLimit(\"nowhere\")] names no policy", failure.Message);
    }

    public sealed class Limited
    {
        [Method, Authenticated, RateLimit("send")] public string Send(string text) => text;

        [Method, RateLimit("send")] public string Open(string text) => text;
    }

    public sealed class ByCodePolicy
    {
        [Method, RateLimit("code")] public string Call() => "ok";
    }

    public sealed class Undefined
    {
        [Method, RateLimit("nowhere")] public string Call() => "never";
    }
}
