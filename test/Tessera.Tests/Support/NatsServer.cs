using System.Diagnostics;
using System.Net.Sockets;

namespace Tessera.Tests.Support;

/// <summary>
/// A private NATS server with JetStream for the tests, from Debian's <c>nats-server</c>, on a free loopback port, its
/// stream files in a temporary folder (as <c>nobody</c> when the tests run as root). A watchdog shell stops it within a
/// second of the test process's death; <see cref="StopAsync"/> and <see cref="StartAgainAsync"/> restart it with its
/// data, as an administrator would.
/// </summary>
public sealed class NatsServer : IAsyncDisposable
{
    public const string Program = ServerAvailability.NatsProgram;

    private static readonly Lazy<Task<NatsServer>> SharedServer = new(StartAsync);

    private readonly string _directory;
    private Process? _process;

    private NatsServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>A stream name no other test uses.</summary>
    public static string NewStream() => "t" + Guid.NewGuid().ToString("N")[..12];

    public static Task<NatsServer> SharedAsync()
    {
        ServerAvailability.Require("nats");
        return SharedServer.Value;
    }

    public static async Task<NatsServer> StartAsync()
    {
        ServerAvailability.Require("nats");
        foreach (var (folder, _) in LeftoverServers.Orphans("tessera-nats-"))
        {
            // The watchdog already stopped the server of a test process that died; its folder is left.
            Directory.Delete(folder, recursive: true);
        }

        var directory = Directory.CreateTempSubdirectory("tessera-nats-").FullName;
        await LeftoverServers.WriteOwnerAsync(directory);
        if (Environment.UserName == "root")
        {
            var (exitCode, _, errors) = await ExternalTool.RunAsync("chown", ["-R", "nobody", directory], workingDirectory: Path.GetTempPath());
            Assert.True(exitCode == 0, errors);
        }

        var server = new NatsServer(directory, ServiceProcess.FreePort());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var daemon = $"'{Program}' -a 127.0.0.1 -p {Port} -js -sd '{Path.Combine(_directory, "js")}' -P '{Path.Combine(_directory, "pid")}' -l '{Path.Combine(_directory, "log")}'";
        var watchdog = $"{daemon} & d=$!; while [ -d /proc/{Environment.ProcessId} ] && kill -0 $d 2>/dev/null; do sleep 1; done; kill $d 2>/dev/null; wait $d";
        var start = new ProcessStartInfo(Environment.UserName == "root" ? "runuser" : "bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in Environment.UserName == "root" ? ["-u", "nobody", "--", "bash", "-c", watchdog] : new[] { "-c", watchdog })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Stops the server (SIGTERM: it flushes its streams) and waits until the port is free.</summary>
    public async Task StopAsync()
    {
        var pidFile = Path.Combine(_directory, "pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid))
        {
            try
            {
                using var daemon = Process.GetProcessById(pid);
                using var term = Process.Start("kill", ["-TERM", pid.ToString()]);
                await daemon.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        if (_process is not null)
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
