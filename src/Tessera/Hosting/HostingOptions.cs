using System.ComponentModel;

namespace Tessera;

/// <summary>
/// How the service is deployed, in the <c>Tessera:Hosting</c> section: behind a reverse proxy, exporting metrics, run
/// as background processes.
/// </summary>
public sealed class HostingOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera:Hosting";

    /// <summary>
    /// Trust <c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> from <see cref="KnownProxies"/>
    /// (cyclone's <c>xheaders</c>): the client address, the scheme (so cookies are <c>Secure</c> behind TLS) and the host
    /// are the original request's. Off by default, because a service reached directly must not believe those headers.
    /// </summary>
    [Description("Behind a reverse proxy: take the client address, scheme and host from X-Forwarded-* headers sent by known_proxies.")]
    public bool BehindProxy { get; set; }

    /// <summary>The proxies whose <c>X-Forwarded-*</c> headers are believed, comma-separated addresses or CIDR networks.</summary>
    [Description("Addresses or networks (10.0.0.0/8) of the proxies trusted with behind_proxy, comma-separated.")]
    public string KnownProxies { get; set; } = "127.0.0.1,::1";

    /// <summary>Serve the call, error and duration metrics in Prometheus text format at <c>/_tessera/metrics</c>.</summary>
    [Description("Serve metrics in Prometheus text format at /_tessera/metrics.")]
    public bool Metrics { get; set; }

    /// <summary>
    /// Start the service in the background (Toto's <c>--start</c>) and return once every instance answers, leaving a pid
    /// file per port in the data directory.
    /// </summary>
    [Description("Run in the background; return once it answers, with a pid file per port in data_dir.")]
    public bool Start { get; set; }

    /// <summary>Stop every background instance of the service started from this data directory (its pid files), gracefully.</summary>
    [Description("Stop the background instances whose pid files are in data_dir, gracefully, and exit.")]
    public bool Stop { get; set; }

    /// <summary>
    /// Record which methods start-up compiles in <c>startup-ADDRESS.jitprofile</c> in the data directory, and compile them
    /// on another core at the next start (.NET's multicore JIT): a restart answers sooner. Nothing is written with
    /// <c>--database=memory</c> and no <c>--data_dir</c>, as nothing else is.
    /// </summary>
    [Description("Keep a profile of the methods start-up compiles in data_dir, so the next start compiles them on another core.")]
    public bool StartupProfile { get; set; } = true;

    /// <summary>How many instances <see cref="Start"/> runs, on ports <c>port</c>, <c>port+1</c>, ...; 0 means one per core.</summary>
    [Description("With --start: how many instances, on sequential ports from --port (0 = one per core).")]
    public int Processes { get; set; } = 1;
}
