using Tessera.Tests.Client;

namespace Tessera.Tests.Interop;

/// <summary>
/// @tessera/client (clients/js) in Node against real Kestrel: its own node:test suites (calls, batches, errors,
/// sessions, timeouts, retries, events with resume, every signing mode), and a tail that resumes across a restart.
/// </summary>
public sealed class JsClientTests
{
    [NeedsToolFact("node", "npm")]
    public async Task NodeSuite_PassesAgainstHelloService()
    {
        await ExternalTool.EnsureJsClientBuiltAsync();
        await using var host = await ClientHosts.StartAsync();

        var (exitCode, output, errors) = await NodeTestAsync("test/client.test.mjs", host.Http.BaseAddress!.ToString());

        Assert.True(exitCode == 0, output + errors);
        Assert.Contains("# fail 0", output);
    }

    [NeedsToolTheory("node")]
    [InlineData("legacy")]
    [InlineData("toto")]
    [InlineData("signed")]
    public async Task NodeSuite_EverySigningMode(string mode)
    {
        await ExternalTool.EnsureJsClientBuiltAsync();
        await using var host = await ClientHosts.StartAsync(o => o.Configuration["Tessera:Security:Hmac"] = mode);

        var (exitCode, output, errors) = await NodeTestAsync("test/signing.test.mjs", host.Http.BaseAddress!.ToString(), ("TESSERA_SIGNING", mode));

        Assert.True(exitCode == 0, output + errors);
        Assert.Contains("# pass 2", output);
    }

    [NeedsToolTheory("node")]
    [InlineData("jsonrpc")]
    [InlineData("websocket")]
    public async Task Subscription_AcrossAServiceRestart_LosesNothing_AndRepeatsNothing(string wire)
    {
        await ExternalTool.EnsureJsClientBuiltAsync();
        await using var hello = await HelloServiceOnFile.StartAsync();
        var first = await hello.AnnounceAsync("before");
        // The tail starts after "before", so what it prints is exactly what followed: one before the restart, three after.
        var tail = Tail(hello, wire, after: first, count: 4);
        await hello.AnnounceAsync("live");
        await Task.Delay(500);

        await hello.StopAsync();
        await hello.StartAgainAsync();
        foreach (var text in new[] { "after 1", "after 2", "after 3" })
        {
            await hello.AnnounceAsync(text);
        }

        Assert.Equal(["live", "after 1", "after 2", "after 3"], await TextsAsync(tail));
    }

    [NeedsToolTheory("node")]
    [InlineData("jsonrpc")]
    [InlineData("websocket")]
    public async Task Subscription_StartedWhileTheServiceIsDown_WaitsForIt(string wire)
    {
        await ExternalTool.EnsureJsClientBuiltAsync();
        await using var hello = await HelloServiceOnFile.StartAsync();
        var first = await hello.AnnounceAsync("first");
        await hello.StopAsync();

        // The tail starts with nothing listening on the port: it must wait for the service, not fail.
        var tail = Tail(hello, wire, after: first, count: 2);
        await Task.Delay(1500);
        Assert.False(tail.IsCompleted, tail.IsCompleted ? (await tail).Errors : null);

        await hello.StartAgainAsync();
        await hello.AnnounceAsync("second");
        await hello.AnnounceAsync("third");

        Assert.Equal(["second", "third"], await TextsAsync(tail));
    }

    /// <summary>test/tail.mjs: the JS client prints <paramref name="count"/> announcements after event <paramref name="after"/>.</summary>
    private static Task<(int ExitCode, string Output, string Errors)> Tail(HelloServiceOnFile hello, string wire, long after, int count) =>
        ExternalTool.RunAsync("node", ["--experimental-websocket", "test/tail.mjs"], ExternalTool.JsClientFolder, TimeSpan.FromSeconds(90),
            new Dictionary<string, string>
            {
                ["TESSERA_URL"] = hello.Url,
                ["TESSERA_TOPICS"] = "announcements",
                ["TESSERA_COUNT"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["TESSERA_WIRE"] = wire,
                ["TESSERA_LAST_EVENT_ID"] = after.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });

    private static async Task<List<string?>> TextsAsync(Task<(int ExitCode, string Output, string Errors)> tail)
    {
        var (exitCode, output, errors) = await tail;
        Assert.True(exitCode == 0, errors);
        return [.. output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("data").GetProperty("text").GetString())];
    }

    private static Task<(int ExitCode, string Output, string Errors)> NodeTestAsync(string file, string url, params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(e => e.Name, e => e.Value);
        variables["TESSERA_URL"] = url;
        variables["TESSERA_CLOSED_URL"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}/";
        return ExternalTool.RunAsync("node", ["--test", "--experimental-websocket", "--test-reporter=tap", file], ExternalTool.JsClientFolder, TimeSpan.FromMinutes(2), variables);
    }
}
