using Xunit.Abstractions;
using Xunit.Sdk;

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
            "postgres" => PostgresServer.BinDirectory is not null,
            "redis" => ExternalTool.IsOnPath("redis-server"),
            "nginx" => File.Exists(NginxProgram),
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
            "postgres" => PostgresServer.BinDirectory is not null,
            "nginx" => File.Exists(NginxProgram),
            _ => ExternalTool.IsOnPath("redis-server"),
        };
        if (!installed)
        {
            throw new InvalidOperationException($"{server} is not installed, and CI=true makes that a failure: install {Package(server)}.");
        }
    }

    public const string NginxProgram = "/usr/sbin/nginx";

    private static string Package(string server) => server switch
    {
        "postgres" => "postgresql",
        "redis" => "redis-server",
        _ => server,
    };
}

/// <summary>Marks a test class whose tests need a database server (postgres or redis).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NeedsServerAttribute(string server) : Attribute
{
    public string Server { get; } = server;
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
}

/// <summary>
/// A fact of a specification shared by several backends: skipped when the test class is marked
/// <see cref="NeedsServerAttribute"/> and that server is missing (never under CI=true).
/// </summary>
[XunitTestCaseDiscoverer("Tessera.Tests.Support.BackendFactDiscoverer", "Tessera.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class BackendFactAttribute : FactAttribute;

public sealed class BackendFactDiscoverer(IMessageSink diagnostics) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        yield return new BackendTestCase(diagnostics, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}

public sealed class BackendTestCase : XunitTestCase
{
    [Obsolete("For deserialization only.")]
    public BackendTestCase()
    {
    }

    public BackendTestCase(IMessageSink diagnostics, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod)
        : base(diagnostics, display, displayOptions, testMethod)
    {
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute)
    {
        var needs = TestMethod.TestClass.Class.GetCustomAttributes(typeof(NeedsServerAttribute)).FirstOrDefault();
        return needs is null ? base.GetSkipReason(factAttribute) : ServerAvailability.SkipReason(needs.GetConstructorArguments().Cast<string>().First());
    }
}
