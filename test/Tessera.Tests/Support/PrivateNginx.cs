using System.Diagnostics;
using System.Net.Sockets;

namespace Tessera.Tests.Support;

/// <summary>
/// Debian's nginx serving one site file, with its own prefix, pid, logs and temporary folders in a fresh directory
/// (what /etc/nginx/nginx.conf would be, reduced to what a private instance needs). The access log records the upstream
/// each request went to.
/// </summary>
public sealed class PrivateNginx : IAsyncDisposable
{
    private readonly Process _process;

    private PrivateNginx(Process process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Port = port;
    }

    /// <summary>The instance's folder: nginx.conf, site.conf, logs.</summary>
    public string Directory { get; }

    /// <summary>The port the site listens on (the caller put it in the site).</summary>
    public int Port { get; }

    /// <summary>The instances nginx forwarded to, from its access log.</summary>
    public IReadOnlySet<string> UpstreamsUsed() =>
        File.ReadAllLines(Path.Combine(Directory, "access.log")).Where(line => line.Length > 0 && line != "-").ToHashSet();

    public HttpClient Client() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>Starts nginx on <paramref name="site"/> (which listens on <paramref name="port"/>) and returns once it accepts connections.</summary>
    public static async Task<PrivateNginx> StartAsync(string site, int port)
    {
        ServerAvailability.Require("nginx");
        var directory = System.IO.Directory.CreateTempSubdirectory("tessera-nginx-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "site.conf"), site);
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
                include {{directory}}/site.conf;
            }
            """);
        var start = new ProcessStartInfo(ServerAvailability.NginxProgram) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var nginx = new PrivateNginx(Process.Start(start)!, directory, port);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (nginx._process.HasExited)
            {
                var errors = await nginx._process.StandardError.ReadToEndAsync();
                await nginx.DisposeAsync();
                throw new InvalidOperationException("nginx refused the configuration:\n" + errors);
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return nginx;
            }
            catch (SocketException)
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
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
