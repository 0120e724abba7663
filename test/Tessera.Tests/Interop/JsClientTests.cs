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
        var folder = Directory.CreateTempSubdirectory("tessera-js-restart-");
        try
        {
            string[] store = ["--db_connection=Data Source=" + Path.Combine(folder.FullName, "tessera.db")];
            var service = await ServiceProcess.StartAsync("HelloService", store);
            var port = service.Port;
            var url = $"http://127.0.0.1:{port}/";
            await using var publisher = new Tessera.Client.TesseraClient(new Uri(url));
            await publisher.Accounts.CreateAsync("herald", AuthHosts.Password);
            var first = await publisher.CallAsync<long>("announcement.post", new { text = "before" });
            // The tail starts after "before", so what it prints is exactly what followed: one before the restart, three after.
            var tail = ExternalTool.RunAsync("node", ["--experimental-websocket", "test/tail.mjs"], ExternalTool.JsClientFolder, TimeSpan.FromSeconds(90),
                new Dictionary<string, string> { ["TESSERA_URL"] = url, ["TESSERA_TOPICS"] = "announcements", ["TESSERA_COUNT"] = "4", ["TESSERA_WIRE"] = wire, ["TESSERA_LAST_EVENT_ID"] = first.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            await publisher.CallAsync<long>("announcement.post", new { text = "live" });
            await Task.Delay(500);

            await service.TerminateAsync();
            await service.DisposeAsync();
            await using (service = await ServiceProcess.StartOnPortAsync(port, "HelloService", store))
            {
                await publisher.Accounts.LoginAsync("herald", AuthHosts.Password);
                foreach (var text in new[] { "after 1", "after 2", "after 3" })
                {
                    await publisher.CallAsync<long>("announcement.post", new { text });
                }

                var (exitCode, output, errors) = await tail;

                Assert.True(exitCode == 0, errors);
                var texts = output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("data").GetProperty("text").GetString());
                Assert.Equal(["live", "after 1", "after 2", "after 3"], texts);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [NeedsToolTheory("node")]
    [InlineData("jsonrpc")]
    [InlineData("websocket")]
    public async Task Subscription_StartedWhileTheServiceIsDown_WaitsForIt(string wire)
    {
        await ExternalTool.EnsureJsClientBuiltAsync();
        var folder = Directory.CreateTempSubdirectory("tessera-js-down-");
        try
        {
            string[] store = ["--db_connection=Data Source=" + Path.Combine(folder.FullName, "tessera.db")];
            var service = await ServiceProcess.StartAsync("HelloService", store);
            var port = service.Port;
            var url = $"http://127.0.0.1:{port}/";
            await using var publisher = new Tessera.Client.TesseraClient(new Uri(url));
            await publisher.Accounts.CreateAsync("herald", AuthHosts.Password);
            var first = await publisher.CallAsync<long>("announcement.post", new { text = "first" });
            await service.TerminateAsync();
            await service.DisposeAsync();

            // The tail starts with nothing listening on the port: it must wait for the service, not fail.
            var tail = ExternalTool.RunAsync("node", ["--experimental-websocket", "test/tail.mjs"], ExternalTool.JsClientFolder, TimeSpan.FromSeconds(90),
                new Dictionary<string, string> { ["TESSERA_URL"] = url, ["TESSERA_TOPICS"] = "announcements", ["TESSERA_COUNT"] = "2", ["TESSERA_WIRE"] = wire, ["TESSERA_LAST_EVENT_ID"] = first.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            await Task.Delay(1500);
            Assert.False(tail.IsCompleted, tail.IsCompleted ? (await tail).Errors : null);

            await using (service = await ServiceProcess.StartOnPortAsync(port, "HelloService", store))
            {
                await publisher.Accounts.LoginAsync("herald", AuthHosts.Password);
                await publisher.CallAsync<long>("announcement.post", new { text = "second" });
                await publisher.CallAsync<long>("announcement.post", new { text = "third" });

                var (exitCode, output, errors) = await tail;

                Assert.True(exitCode == 0, errors);
                var texts = output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("data").GetProperty("text").GetString());
                Assert.Equal(["second", "third"], texts);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Task<(int ExitCode, string Output, string Errors)> NodeTestAsync(string file, string url, params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(e => e.Name, e => e.Value);
        variables["TESSERA_URL"] = url;
        variables["TESSERA_CLOSED_URL"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}/";
        return ExternalTool.RunAsync("node", ["--test", "--experimental-websocket", "--test-reporter=tap", file], ExternalTool.JsClientFolder, TimeSpan.FromMinutes(2), variables);
    }
}
