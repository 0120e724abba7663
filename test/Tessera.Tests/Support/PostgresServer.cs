using Npgsql;

namespace Tessera.Tests.Support;

/// <summary>
/// A private PostgreSQL server for the tests: <c>initdb</c> into a temporary folder and <c>pg_ctl start</c> on a free
/// loopback port, as the postgres user when the tests run as root. Stopped and deleted afterwards.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresServer>> SharedServer = new(async () =>
    {
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        return server;
    });

    private const string FolderPrefix = "tessera-pg-";

    /// <summary>
    /// Removes servers and folders left by test processes that died without disposing them (test hosts are killed,
    /// not exited, so the exit hook does not always run): each folder names its owner; a dead owner's server is
    /// stopped and its folder deleted, so repeated runs do not fill the disk.
    /// </summary>
    private static readonly Lazy<Task> SweptLeftovers = new(async () =>
    {
        foreach (var (folder, _) in LeftoverServers.Orphans(FolderPrefix))
        {
            var leftover = new PostgresServer(folder, port: 0);
            if (File.Exists(Path.Combine(leftover.DataDirectory, "postmaster.pid")))
            {
                try
                {
                    await leftover.RunPostgresToolAsync("pg_ctl", ["-D", leftover.DataDirectory, "-m", "immediate", "-w", "stop"]);
                }
                catch (InvalidOperationException)
                {
                    // Not running any more.
                }
            }

            Directory.Delete(folder, recursive: true);
        }
    });

    private readonly string _directory;

    private PostgresServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    /// <summary>The folder of initdb and pg_ctl, or null on a machine without PostgreSQL.</summary>
    public static string? BinDirectory => ServerAvailability.PostgresBinDirectory;

    public int Port { get; }

    /// <summary>One server for the whole test run; tests take a database of their own from it.</summary>
    public static Task<PostgresServer> SharedAsync()
    {
        ServerAvailability.Require("postgres");
        return SharedServer.Value;
    }

    public static async Task<PostgresServer> StartAsync()
    {
        ServerAvailability.Require("postgres");
        await SweptLeftovers.Value;
        var directory = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        await LeftoverServers.WriteOwnerAsync(directory);
        var server = new PostgresServer(directory, ServiceProcess.FreePort());
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", ["-R", "postgres:postgres", directory]);
        }

        await server.RunPostgresToolAsync("initdb", ["-D", server.DataDirectory, "-A", "trust", "-U", "tessera", "-E", "UTF8", "--no-sync"]);
        await server.StartAgainAsync();
        var stop = $"'{Path.Combine(BinDirectory!, "pg_ctl")}' -D '{server.DataDirectory}' -m immediate -w stop";
        LeftoverServers.GuardAfterDeath(directory, (Environment.UserName == "root" ? $"runuser -u postgres -- {stop}" : stop) + $"; rm -rf '{directory}'");
        return server;
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=tessera;Database={database};Timeout=5;Command Timeout=5";

    /// <summary>A new empty database; answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server the way an administrator's restart does (fast shutdown: sessions are cut).</summary>
    public Task StopAsync() => RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);

    public Task StartAgainAsync() => RunPostgresToolAsync("pg_ctl",
    [
        "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "start",
        "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
    ]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunPostgresToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_directory, recursive: true);
    }

    private Task RunPostgresToolAsync(string tool, string[] args)
    {
        var program = Path.Combine(BinDirectory!, tool);
        return Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args])
            : RunAsync(program, args);
    }

    private static async Task RunAsync(string program, string[] args)
    {
        var (exitCode, output, errors) = await ExternalTool.RunAsync(program, args, workingDirectory: Path.GetTempPath(), timeout: TimeSpan.FromSeconds(60));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({exitCode}):\n{output}\n{errors}");
        }
    }
}
