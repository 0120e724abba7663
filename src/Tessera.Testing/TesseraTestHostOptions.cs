using Microsoft.AspNetCore.Builder;

namespace Tessera.Testing;

/// <summary>How <see cref="TesseraTestHost"/> builds the service under test.</summary>
public sealed class TesseraTestHostOptions
{
    /// <summary>
    /// Serve over real Kestrel on 127.0.0.1 and a free port instead of the in-process test server.
    /// </summary>
    public bool UseKestrel { get; set; }

    /// <summary>The hosting environment; <c>Production</c> by default, so error details stay hidden as in production.</summary>
    public string Environment { get; set; } = "Production";

    /// <summary>
    /// Configuration values, e.g. <c>["Tessera:Root"] = "/svc"</c>. Stores default to memory, so parallel test hosts
    /// never share a database; set <c>Tessera:Storage:Database</c> to <c>Sqlite</c> to test on a file.
    /// </summary>
    public IDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>
    {
        ["Tessera:Storage:Database"] = "Memory",
    };

    /// <summary>Called with the application builder before Tessera is added.</summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; set; }

    /// <summary>Called with the built application before Tessera's endpoints are mapped.</summary>
    public Action<WebApplication>? ConfigureApp { get; set; }

    /// <summary>How long the test client waits for an answer before the test fails.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}
