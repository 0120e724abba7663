using System.ComponentModel;

namespace Tessera;

/// <summary>Service registry options, in the <c>Tessera:Registry</c> section (gemstone's registry, Atila's mapped calls).</summary>
public sealed class RegistryOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera:Registry";

    /// <summary><c>on</c> registers this instance in the shared store and answers <c>registry.services</c>.</summary>
    [Description("on: register this instance (name, URL, methods) in the shared store with heartbeats, and answer registry.services.")]
    public string Registry { get; set; } = "off";

    /// <summary>The URL other services reach this instance at; empty means the address Kestrel listens on.</summary>
    [Description("The URL other services reach this instance at (default: the address it listens on).")]
    public string AdvertiseUrl { get; set; } = string.Empty;

    /// <summary>Seconds between heartbeats; an instance that misses three drops out.</summary>
    [Description("Seconds between registry heartbeats; an instance that misses three drops out of registry.services.")]
    public int RegistryHeartbeat { get; set; } = 5;

    internal bool Enabled => string.Equals(Registry.Trim(), "on", StringComparison.OrdinalIgnoreCase);

    internal TimeSpan Period => TimeSpan.FromSeconds(RegistryHeartbeat);
}
