using System.Diagnostics;

namespace Tessera.Tests.Support;

/// <summary>
/// A private redis-server for the tests, on a free loopback port, with persistence off and its working folder deleted
/// afterwards. Tests share one and keep apart by key prefix.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly Lazy<Task<RedisServer>> SharedServer = new(async () =>
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        return server;
    });

    private readonly string _directory;
    private readonly bool _persistent;
    private Process? _process;

    private RedisServer(string directory, int port, bool persistent)
    {
        _directory = directory;
        Port = port;
        _persistent = persistent;
    }

    private const string FolderPrefix = "tessera-redis-";

    /// <summary>
    /// Stops servers left by test processes that died without disposing them (the test host is killed, not exited,
    /// so an exit hook alone is not enough): each folder names its owner and its server; a dead owner's server goes.
    /// </summary>
    private static readonly Lazy<bool> SweptLeftovers = new(() =>
    {
        foreach (var (folder, serverId) in LeftoverServers.Orphans(FolderPrefix))
        {
            if (serverId is { } id)
            {
                LeftoverServers.Kill(id, "redis-server");
            }

            Directory.Delete(folder, recursive: true);
        }

        return true;
    });

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static Task<RedisServer> SharedAsync()
    {
        ServerAvailability.Require("redis");
        return SharedServer.Value;
    }

    /// <summary>
    /// Starts a server; a <paramref name="persistent"/> one writes every change to an append-only file in its
    /// temporary folder, so its data survives a restart (the folder is still deleted at the end).
    /// </summary>
    public static async Task<RedisServer> StartAsync(bool persistent = false)
    {
        ServerAvailability.Require("redis");
        _ = SweptLeftovers.Value;
        var server = new RedisServer(Directory.CreateTempSubdirectory(FolderPrefix).FullName, ServiceProcess.FreePort(), persistent);
        await server.StartAgainAsync();
        // Whichever redis-server runs in the folder then (restarts get new pids) goes with the test process.
        LeftoverServers.GuardAfterDeath(server._directory, $"pkill -9 -f 'redis-server 127.0.0.1:{server.Port}'; rm -rf '{server._directory}'");
        return server;
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            WorkingDirectory = _directory,
            UseShellExecute = false,
        };
        string[] args = ["--bind", "127.0.0.1", "--port", Port.ToString(), "--save", "", "--appendonly", _persistent ? "yes" : "no", "--appendfsync", "always", "--dir", _directory, "--logfile", Path.Combine(_directory, "redis.log")];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        // Who started it, so a later run can stop it if this test process dies without disposing it.
        await LeftoverServers.WriteOwnerAsync(_directory, _process.Id);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on port {Port}.");
    }

    /// <summary>Kills the server, as a crash would; only a persistent server keeps its data.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
