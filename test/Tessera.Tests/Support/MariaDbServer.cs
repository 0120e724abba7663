using System.Diagnostics;
using MySqlConnector;

namespace Tessera.Tests.Support;

/// <summary>
/// A private MariaDB server for the tests, from Debian's <c>mariadb-server</c>: <c>mariadb-install-db</c> into a
/// temporary folder and <c>mariadbd</c> on a free loopback port, as the mysql user when the tests run as root. The
/// server's pid file is in that folder; it is stopped and the folder deleted afterwards.
/// </summary>
public sealed class MariaDbServer : IAsyncDisposable
{
    private const string Daemon = "/usr/sbin/mariadbd";

    private static readonly Lazy<Task<MariaDbServer>> SharedServer = new(async () =>
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        return server;
    });

    private const string FolderPrefix = "tessera-mariadb-";

    /// <summary>
    /// Stops servers left by test processes that died without disposing them (the test host is killed, not exited, so
    /// the exit hook alone is not enough): each folder names its owner, and mariadbd writes its own pid beside it.
    /// </summary>
    private static readonly Lazy<bool> SweptLeftovers = new(() =>
    {
        foreach (var (folder, _) in LeftoverServers.Orphans(FolderPrefix))
        {
            KillDaemon(Path.Combine(folder, "pid"));
            Directory.Delete(folder, recursive: true);
        }

        return true;
    });

    private readonly string _directory;
    private Process? _process;

    private MariaDbServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>One server for the whole test run; tests take a database of their own from it.</summary>
    public static Task<MariaDbServer> SharedAsync()
    {
        ServerAvailability.Require("mariadb");
        return SharedServer.Value;
    }

    public static async Task<MariaDbServer> StartAsync()
    {
        ServerAvailability.Require("mariadb");
        _ = SweptLeftovers.Value;
        var directory = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        await LeftoverServers.WriteOwnerAsync(directory);
        var server = new MariaDbServer(directory, ServiceProcess.FreePort());
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["-R", "mysql:mysql", directory]);
        }

        await RunAsync(AsServerUser("mariadb-install-db",
        [
            "--no-defaults", $"--datadir={server.DataDirectory}", "--auth-root-authentication-method=normal", "--skip-test-db",
        ]));
        await server.StartAgainAsync();
        return server;
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    public string ConnectionString(string database = "") =>
        $"Server=127.0.0.1;Port={Port};User ID=root;Database={database};Connection Timeout=5;Default Command Timeout=5";

    /// <summary>A new empty database; answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t" + Guid.NewGuid().ToString("N");
        await using var connection = new MySqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task StartAgainAsync()
    {
        // A watchdog shell stops the server within a second of the test process's death: test hosts are killed, not
        // exited, so no exit hook of ours would run. (/proc/PID, not kill -0: the mysql user may not signal root.)
        var daemon = string.Join(' ', new[]
        {
            Daemon, "--no-defaults", $"--datadir={DataDirectory}", $"--socket={Path.Combine(_directory, "s.sock")}", $"--port={Port}",
            "--bind-address=127.0.0.1", "--skip-networking=0", $"--pid-file={Path.Combine(_directory, "pid")}",
            "--innodb-flush-log-at-trx-commit=2", "--max-connections=300", $"--log-error={Path.Combine(_directory, "error.log")}",
        }.Select(argument => "'" + argument + "'"));
        var watchdog = $"{daemon} & d=$!; while [ -d /proc/{Environment.ProcessId} ] && kill -0 $d 2>/dev/null; do sleep 1; done; kill $d 2>/dev/null; wait $d";
        var (program, args) = AsServerUser("bash", ["-c", watchdog]);
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new MySqlConnection(ConnectionString() + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Stops the server at once (a kill; InnoDB recovers from it) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        await Task.Run(() => KillDaemon(Path.Combine(_directory, "pid")));

        if (_process is { HasExited: false })
        {
            // With the daemon gone the watchdog shell ends within a second, as NatsServer's does. A tree kill is only the
            // fallback: it stops every process it finds before killing them, and once left the watchdog stopped for
            // good (state T, reparented to init) under CI, where the leftover check caught it.
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static void KillDaemon(string pidFile)
    {
        if (LeftoverServers.ReadPid(pidFile) is { } pid)
        {
            LeftoverServers.Kill(pid, "mariadbd");
        }
    }

    private static (string Program, string[] Args) AsServerUser(string program, string[] args) =>
        Environment.UserName == "root" ? ("runuser", ["-u", "mysql", "--", program, .. args]) : (program, args);

    private static Task RunAsync(string program, string[] args) => RunAsync((program, args));

    private static async Task RunAsync((string Program, string[] Args) command)
    {
        var (exitCode, output, errors) = await ExternalTool.RunAsync(command.Program, command.Args, workingDirectory: Path.GetTempPath(), timeout: TimeSpan.FromSeconds(120));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{command.Program} {string.Join(' ', command.Args)} failed ({exitCode}):\n{output}\n{errors}");
        }
    }
}
