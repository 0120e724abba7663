using System.Collections.Concurrent;
using Tessera.Client;

namespace Tessera.Tests.Client;

/// <summary>
/// Three HelloService processes sharing one SQLite file with --registry=on: ForService spreads calls over them, keeps
/// calling when one is killed, and uses it again when it comes back; a mapped call reaches all.
/// </summary>
public sealed class RegistryTests
{
    [Fact]
    public async Task ForService_SpreadsCalls_SurvivesAKilledInstance_AndUsesItAgainWhenBack()
    {
        var folder = Directory.CreateTempSubdirectory("tessera-registry-");
        var instances = new List<ServiceProcess>();
        try
        {
            string[] arguments = ["--db_connection=Data Source=" + Path.Combine(folder.FullName, "tessera.db"), "--registry=on", "--registry_heartbeat=1"];
            for (var i = 0; i < 3; i++)
            {
                instances.Add(await ServiceProcess.StartAsync("HelloService", arguments));
            }

            var recorder = new HostRecorder();
            await using var registry = new TesseraClient(new HttpClient(recorder),
                new TesseraClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{instances[0].Port}/"), RetryDelay = TimeSpan.FromMilliseconds(20) });
            await WaitForInstancesAsync(registry, 3);
            var hello = registry.ForService("HelloService", refresh: TimeSpan.FromSeconds(1));

            // Round robin: every instance gets calls.
            var ports = await CallManyAsync(hello, recorder, 30);
            Assert.Equal(instances.Select(i => i.Port).Order(), ports.Distinct().Order());

            // One is killed (no goodbye): calls go on, on the other two, with no error.
            var killed = instances[2];
            await killed.DisposeAsync();
            var afterKill = await CallManyAsync(hello, recorder, 30);
            Assert.Equal(instances.Take(2).Select(i => i.Port).Order(), afterKill.Where(p => p != killed.Port).Distinct().Order());
            await WaitForInstancesAsync(registry, 2);

            // It comes back where it was and receives calls again.
            instances[2] = await ServiceProcess.StartOnPortAsync(killed.Port, "HelloService", arguments);
            await WaitForInstancesAsync(registry, 3);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (!(await CallManyAsync(hello, recorder, 6)).Contains(killed.Port))
            {
                await Task.Delay(200, deadline.Token);
            }

            // A mapped call reaches every live instance and gathers the answers.
            var mapped = await hello.MapAsync<int>("math.add", hello.CreateParameters().Add("a", 40).Add("b", 2));
            Assert.Equal(3, mapped.Count);
            Assert.All(mapped, answer => Assert.Equal(42, answer.Value));

            // The command line lists the services and their instances.
            var (code, output, errors) = await ExternalTool.RunAsync("dotnet",
                [Path.Combine(AppContext.BaseDirectory, "Tessera.Cli.dll"), "services", $"http://127.0.0.1:{instances[0].Port}"]);
            Assert.True(code == 0, errors);
            var lines = output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.All(lines, line => Assert.StartsWith("HelloService\thttp://127.0.0.1:", line, StringComparison.Ordinal));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }

            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task RegistryServices_WithoutTheRegistry_SaysHowToTurnItOn()
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host);

        var error = await Assert.ThrowsAsync<TesseraCallException>(() => client.CallAsync("registry.services"));

        Assert.Equal(-32601, error.Code);
        Assert.Equal("This service keeps no registry: start it with --registry=on.", error.Value.GetString());
    }

    /// <summary>Calls math.add <paramref name="count"/> times; answers the ports the calls that succeeded went to.</summary>
    private static async Task<List<int>> CallManyAsync(TesseraClient client, HostRecorder recorder, int count)
    {
        recorder.Answered.Clear();
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i + 1, await client.CallAsync<int>("math.add", client.CreateParameters().Add("a", i).Add("b", 1)));
        }

        return [.. recorder.Answered];
    }

    private static async Task WaitForInstancesAsync(TesseraClient registry, int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var services = await registry.CallAsync("registry.services", cancellationToken: deadline.Token);
            var live = services.EnumerateArray().Where(s => s.GetProperty("name").GetString() == "HelloService")
                .Sum(s => s.GetProperty("instances").GetArrayLength());
            if (live == count)
            {
                return;
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    /// <summary>Records the port of every request that got an answer.</summary>
    private sealed class HostRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        public ConcurrentQueue<int> Answered { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/api", StringComparison.Ordinal) && request.Content is not null
                && !(await request.Content.ReadAsStringAsync(cancellationToken)).Contains("registry.services", StringComparison.Ordinal))
            {
                Answered.Enqueue(request.RequestUri.Port);
            }

            return response;
        }
    }
}
