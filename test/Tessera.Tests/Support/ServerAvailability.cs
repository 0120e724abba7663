namespace Tessera.Tests.Support;

/// <summary>
/// Whether the database servers the backend tests start are installed. Without them the tests are skipped, loudly, on
/// a laptop; under CI=true they run and fail, because CI must exercise every backend.
/// </summary>
public static class ServerAvailability
{
    public static string? SkipReason(string server)
    {
        if (ExternalTool.InCi)
        {
            return null;
        }

        var installed = server switch
        {
            "postgres" => PostgresBinDirectory is not null,
            "redis" => ExternalTool.IsOnPath("redis-server"),
            "nginx" => File.Exists(NginxProgram),
            "mariadb" => File.Exists(MariaDbProgram),
            "nats" => File.Exists(NatsProgram),
            _ => throw new ArgumentOutOfRangeException(nameof(server), server, "Unknown server."),
        };
        return installed
            ? null
            : $"SKIPPED LOUDLY: {server} is not installed (apt-get install {Package(server)}); CI fails instead of skipping.";
    }

    /// <summary>Fails with the fix when a test that needs the server runs without it (under CI=true).</summary>
    public static void Require(string server)
    {
        var installed = server switch
        {
            "postgres" => PostgresBinDirectory is not null,
            "nginx" => File.Exists(NginxProgram),
            "mariadb" => File.Exists(MariaDbProgram),
            "nats" => File.Exists(NatsProgram),
            _ => ExternalTool.IsOnPath("redis-server"),
        };
        if (!installed)
        {
            throw new InvalidOperationException($"{server} is not installed, and CI=true makes that a failure: install {Package(server)}.");
        }
    }

    public const string NginxProgram = "/usr/sbin/nginx";

    public const string MariaDbProgram = "/usr/sbin/mariadbd";

    public const string NatsProgram = "/usr/sbin/nats-server";

    /// <summary>The newest installed PostgreSQL's bin folder (initdb, pg_ctl), or null when none is installed.</summary>
    public static string? PostgresBinDirectory { get; } =
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => bin, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;

    private static string Package(string server) => server switch
    {
        "postgres" => "postgresql",
        "redis" => "redis-server",
        "mariadb" => "mariadb-server",
        "nats" => "nats-server",
        _ => server,
    };
}

/// <summary>
/// Marks a store specification class whose backend needs a server (postgres or redis): skipped loudly without it,
/// never under CI=true.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NeedsServerAttribute(string server) : StoreServerAttribute
{
    public string Server { get; } = server;

    public override string? SkipReason => ServerAvailability.SkipReason(Server);
}

/// <summary>A fact that needs a database server: skipped loudly without it, unless CI=true.</summary>
public sealed class NeedsServerFactAttribute : FactAttribute
{
    public NeedsServerFactAttribute(params string[] servers)
    {
        Skip = servers.Select(ServerAvailability.SkipReason).FirstOrDefault(reason => reason is not null);
    }
}

/// <summary>A theory that needs database servers: skipped loudly without them, unless CI=true.</summary>
public sealed class NeedsServerTheoryAttribute : TheoryAttribute
{
    public NeedsServerTheoryAttribute(params string[] servers)
    {
        Skip = servers.Select(ServerAvailability.SkipReason).FirstOrDefault(reason => reason is not null);
    }

    /// <summary>A program the theory needs as well (clang for a Native AOT publish): skipped loudly without it, as a server.</summary>
    public string? Tool
    {
        get;
        init
        {
            field = value;
            if (Skip is null && value is not null && !ExternalTool.IsOnPath(value) && !ExternalTool.InCi)
            {
                Skip = $"SKIPPED LOUDLY: '{value}' is not on PATH; install it to run this test (CI fails instead of skipping).";
            }
        }
    }
}
