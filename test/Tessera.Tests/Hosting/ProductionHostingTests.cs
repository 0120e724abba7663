using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tessera.Testing;

namespace Tessera.Tests.Hosting;

/// <summary>Health, readiness, metrics, the data directory, background processes and systemd notices.</summary>
public sealed class ProductionHostingTests
{
    [NeedsServerFact("postgres")]
    public async Task Ready_Answers503NamingPostgresWhileItIsStopped_And200OnceItIsBack_WhileHealthAlwaysAnswers()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connection = await postgres.CreateDatabaseAsync();
        await using var host = await TesseraTestHost.StartAsync(t => t.AddPostgreSql(), o =>
        {
            o.Configuration["Tessera:Storage:Database"] = "postgres";
            o.Configuration["Tessera:Storage:DbConnection"] = connection;
            o.Configuration["Tessera:Storage:StoreTimeout"] = "2";
        });

        var ready = await GetAsync(host.Http, "/_tessera/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("database, sessions, events", ready.Json.GetProperty("checks").GetProperty("postgres").GetProperty("roles").GetString());

        await postgres.StopAsync();
        var down = await GetAsync(host.Http, "/_tessera/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
        Assert.Equal(["postgres"], down.Json.GetProperty("failing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("unhealthy", down.Json.GetProperty("status").GetString());
        Assert.DoesNotContain("Npgsql", down.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.Http, "/_tessera/health")).Status);

        await postgres.StartAgainAsync();
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await GetAsync(host.Http, "/_tessera/ready")).Status;
        }
        while (status != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Ready_OnTheMemoryStore_IsHealthy_AndIncludesTheApplicationsOwnChecks()
    {
        await using var host = await TesseraTestHost.StartAsync(t => t.Services.AddHealthChecks()
            .AddCheck("payments", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("down")));

        var ready = await GetAsync(host.Http, "/_tessera/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Equal(["payments"], ready.Json.GetProperty("failing").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("healthy", ready.Json.GetProperty("checks").GetProperty("memory").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host.Http, "/_tessera/health")).Status);
    }

    [Fact]
    public async Task Metrics_WhenSwitchedOn_ExportCallsErrorsAndDurationsInPrometheusText()
    {
        await using var host = await TesseraTestHost.StartAsync(
            t => t.AddMethods(m => m.Add("prom.echo", (string text) => text)),
            o => o.Configuration["Tessera:Hosting:Metrics"] = "true");
        await host.Toto.CallAsync("prom.echo", new { text = "hi" });
        await host.Toto.CallAsync("prom.echo", new { wrong = 1 });

        using var response = await host.Http.GetAsync(new Uri("/_tessera/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Matches(@"tessera_calls_total\{[^}]*tessera_method=""prom\.echo""[^}]*\} 2", text);
        Assert.Matches(@"tessera_errors_total\{[^}]*tessera_error_code=""\d+""[^}]*tessera_method=""prom\.echo""[^}]*\} 1", text);
        Assert.Contains("tessera_call_duration_seconds_bucket{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AreNotServedUnlessSwitchedOn()
    {
        await using var host = await TesseraTestHost.StartAsync();
        using var response = await host.Http.GetAsync(new Uri("/_tessera/metrics", UriKind.Relative));
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataDir_HoldsDatabaseAndKeys_NamesTheFile_AndSaysSoWhenTheDatabaseWentMissing()
    {
        var data = Directory.CreateTempSubdirectory("tessera-data-");
        try
        {
            await using (var first = await ServiceProcess.StartAsync("HelloService", "--data_dir=" + data.FullName))
            {
                Assert.Equal(HttpStatusCode.OK, (await GetAsync(first.Client(), "/_tessera/ready")).Status);
                Assert.Contains($"Database: {Path.Combine(data.FullName, "tessera.db")} (new, empty", first.Output, StringComparison.Ordinal);
                Assert.Equal(0, await first.TerminateAsync());
            }

            Assert.True(File.Exists(Path.Combine(data.FullName, "tessera.db")));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(data.FullName, "keys"), "key-*.xml"));
            var keys = Directory.GetFiles(Path.Combine(data.FullName, "keys")).Order().ToList();

            await using (var again = await ServiceProcess.StartAsync("HelloService", "--data_dir=" + data.FullName))
            {
                Assert.Contains($"Database: {Path.Combine(data.FullName, "tessera.db")}", again.Output, StringComparison.Ordinal);
                Assert.DoesNotContain("new, empty", again.Output, StringComparison.Ordinal);
                Assert.Equal(0, await again.TerminateAsync());
            }

            Assert.Equal(keys, Directory.GetFiles(Path.Combine(data.FullName, "keys")).Order().ToList());
            foreach (var file in Directory.GetFiles(data.FullName, "tessera.db*"))
            {
                File.Delete(file);
            }

            await using var lost = await ServiceProcess.StartAsync("HelloService", "--data_dir=" + data.FullName);
            Assert.Contains("No database was found at", lost.Output, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PublishedServiceStartedFromAnotherFolder_ReadsTheTesseraJsonAndServesTheWwwrootBesideIt()
    {
        // The Chat sample as publishing leaves it: the program, tessera.json and wwwroot in one folder.
        var app = Directory.CreateTempSubdirectory("tessera-app-");
        try
        {
            foreach (var file in Directory.GetFiles(AppContext.BaseDirectory))
            {
                File.Copy(file, Path.Combine(app.FullName, Path.GetFileName(file)));
            }

            var wwwroot = Directory.CreateDirectory(Path.Combine(app.FullName, "wwwroot"));
            foreach (var file in Directory.GetFiles(Path.Combine(ExternalTool.RepositoryRoot, "samples", "Chat", "wwwroot")))
            {
                File.Copy(file, Path.Combine(wwwroot.FullName, Path.GetFileName(file)));
            }

            var port = ServiceProcess.FreePort();
            await File.WriteAllTextAsync(Path.Combine(app.FullName, "tessera.json"), $$"""{ "port": {{port}}, "database": "memory" }""");
            // No arguments, started from /: the port and the store come from the tessera.json beside the program.
            await using var service = await ServiceProcess.StartProgramAsync(Path.Combine(app.FullName, "Chat.dll"), "/", port);
            using var http = service.Client();
            using var page = await http.GetAsync(new Uri("/", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(wwwroot.FullName, "index.html")), await page.Content.ReadAsStringAsync());
        }
        finally
        {
            app.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StartWithThreeProcesses_LeavesThreeAnsweringInstancesWithPidFiles_AndStopEndsThemWithExitCodeZero()
    {
        var data = Directory.CreateTempSubdirectory("tessera-daemon-");
        var port = ServiceProcess.FreePortRun(3);
        try
        {
            var (started, startOutput) = await ServiceProcess.RunToExitAsync(
                "HelloService", "--start", "--processes=3", $"--port={port}", "--data_dir=" + data.FullName);
            Assert.True(started == 0, startOutput);

            var pids = new List<int>();
            for (var instance = 0; instance < 3; instance++)
            {
                var pidFile = Path.Combine(data.FullName, $"HelloService.{port + instance}.pid");
                Assert.True(File.Exists(pidFile), startOutput);
                pids.Add(int.Parse(await File.ReadAllTextAsync(pidFile)));
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + instance}") };
                var answer = await new TotoTestClient(http).CallAsync("greeting.hello", new { name = "daemon" });
                Assert.Equal("hello daemon", answer.Result.GetString());
            }

            Assert.Equal(3, pids.Distinct().Count());
            var (again, againOutput) = await ServiceProcess.RunToExitAsync(
                "HelloService", "--start", "--processes=3", $"--port={port}", "--data_dir=" + data.FullName);
            Assert.Equal(1, again);
            Assert.Contains("already runs", againOutput, StringComparison.Ordinal);

            var (stopped, stopOutput) = await ServiceProcess.RunToExitAsync("HelloService", "--stop", "--data_dir=" + data.FullName);
            Assert.True(stopped == 0, stopOutput);
            Assert.Empty(Directory.GetFiles(data.FullName, "*.pid"));
            Assert.All(pids, pid => Assert.False(IsRunning(pid), $"pid {pid} still runs"));
            Assert.Contains("Application is shutting down", await File.ReadAllTextAsync(Path.Combine(data.FullName, $"HelloService.{port}.log")), StringComparison.Ordinal);
        }
        finally
        {
            await ServiceProcess.RunToExitAsync("HelloService", "--stop", "--data_dir=" + data.FullName);
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task UnderASupervisorWithNotifySocket_TheServiceSendsReadyOnceItServes_AndStoppingOnSigterm()
    {
        var folder = Directory.CreateTempSubdirectory("tessera-notify-");
        var socketPath = Path.Combine(folder.FullName, "notify.sock");
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(socketPath));
            var port = ServiceProcess.FreePort();
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory };
            foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "HelloService.dll"), $"--port={port}", "--database=memory" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["NOTIFY_SOCKET"] = socketPath;
            using var service = Process.Start(start)!;
            try
            {
                var ready = await ReceiveAsync(socket);
                Assert.Contains("READY=1", ready, StringComparison.Ordinal);
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/_tessera/health", UriKind.Relative))).StatusCode);

                using (var term = Process.Start("kill", ["-TERM", service.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }

                Assert.Contains("STOPPING=1", await ReceiveAsync(socket), StringComparison.Ordinal);
                await service.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(0, service.ExitCode);
            }
            finally
            {
                if (!service.HasExited)
                {
                    service.Kill();
                }
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<(HttpStatusCode Status, string Body, JsonElement Json)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body, JsonDocument.Parse(body).RootElement.Clone());
    }
}
