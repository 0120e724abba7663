using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Tessera.Tests.ScaleOut;

/// <summary>deploy/nginx/tessera.conf, as docs/scaling.md gives it, in front of three instances on one PostgreSQL.</summary>
public sealed class NginxTests
{
    [NeedsServerFact("postgres", "nginx")]
    public async Task ShippedNginxConfig_BalancesCallsAndStreamsEventsAcrossThreeInstances()
    {
        await using var cluster = await ServiceCluster.StartAsync(3, "database");
        await using var nginx = await NginxProcess.StartAsync(cluster.Instances.Select(i => i.Port).ToArray());
        var client = new TotoTestClient(nginx.Client());

        await client.CreateAccountAsync("ada", AuthHosts.Password);
        var counts = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var answer = await client.CallAsync("counter.increment");
            Assert.True(answer.ErrorCode is null, answer.Body);
            counts.Add(answer.Result.GetProperty("count").GetInt32());
        }

        using var http = nginx.Client();
        await using var stream = await SseClient.OpenAsync(http, "/events?topics=announcements");
        var posted = await client.CallAsync("announcement.post", new { text = "through nginx" });
        var received = await stream.NextAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 2, 3, 4, 5, 6], counts);
        Assert.Equal("through nginx", received!.Value.Data.GetProperty("text").GetString());
        Assert.Equal(posted.Result.GetInt64(), received.Value.Id);
        // The calls were spread: more than one instance served them, so the counts above crossed instances.
        var upstreams = nginx.UpstreamsUsed();
        Assert.True(upstreams.Count >= 2, $"nginx sent every call to {string.Join(", ", upstreams)}");
    }

    private sealed class NginxProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _directory;

        private NginxProcess(Process process, string directory, int port)
        {
            _process = process;
            _directory = directory;
            Port = port;
        }

        public int Port { get; }

        /// <summary>The instances nginx forwarded to, from its access log.</summary>
        public IReadOnlySet<string> UpstreamsUsed() =>
            File.ReadAllLines(Path.Combine(_directory, "access.log")).Where(line => line.Length > 0 && line != "-").ToHashSet();

        public HttpClient Client() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(15) };

        public static async Task<NginxProcess> StartAsync(int[] instancePorts)
        {
            ServerAvailability.Require("nginx");
            var directory = Directory.CreateTempSubdirectory("tessera-nginx-").FullName;
            var port = ServiceProcess.FreePort();
            var site = await File.ReadAllTextAsync(Path.Combine(ExternalTool.RepositoryRoot, "deploy", "nginx", "tessera.conf"));
            var upstream = 0;
            site = Regex.Replace(site, @"server 127\.0\.0\.1:888\d", _ => $"server 127.0.0.1:{instancePorts[upstream++]}");
            site = site.Replace("listen 80;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal);
            Assert.Equal(3, upstream);
            await File.WriteAllTextAsync(Path.Combine(directory, "tessera.conf"), site);
            // The main file Debian's /etc/nginx/nginx.conf would be, reduced to what a private instance needs.
            await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), $$"""
                worker_processes 1;
                pid {{directory}}/nginx.pid;
                error_log {{directory}}/error.log;
                events { worker_connections 256; }
                http {
                    log_format upstream '$upstream_addr';
                    access_log {{directory}}/access.log upstream;
                    client_body_temp_path {{directory}}/body;
                    proxy_temp_path {{directory}}/proxy;
                    fastcgi_temp_path {{directory}}/fastcgi;
                    uwsgi_temp_path {{directory}}/uwsgi;
                    scgi_temp_path {{directory}}/scgi;
                    include {{directory}}/tessera.conf;
                }
                """);
            var start = new ProcessStartInfo(ServerAvailability.NginxProgram) { UseShellExecute = false, RedirectStandardError = true };
            foreach (var arg in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off;" })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            var nginx = new NginxProcess(process, directory, port);
            for (var attempt = 0; attempt < 100; attempt++)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException("nginx refused the configuration:\n" + await process.StandardError.ReadToEndAsync());
                }

                try
                {
                    using var probe = new System.Net.Sockets.TcpClient();
                    await probe.ConnectAsync("127.0.0.1", port);
                    return nginx;
                }
                catch (System.Net.Sockets.SocketException)
                {
                    await Task.Delay(50);
                }
            }

            await nginx.DisposeAsync();
            throw new InvalidOperationException("nginx did not listen.");
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
