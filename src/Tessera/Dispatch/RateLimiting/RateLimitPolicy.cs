using System.ComponentModel;

namespace Tessera;

/// <summary>Whose calls a rate limit counts together.</summary>
public enum RateLimitScope
{
    /// <summary>Each signed-in user separately; anonymous callers by client address.</summary>
    User,

    /// <summary>Each client address separately (IPv6 by /64).</summary>
    Address,

    /// <summary>All callers together: a limit on the method itself.</summary>
    Everyone,
}

/// <summary>
/// One rate-limit policy: at most <see cref="PermitLimit"/> calls per <see cref="Window"/> seconds, in a sliding
/// window (four segments), per <see cref="PartitionBy"/>.
/// </summary>
public sealed class RateLimitPolicy
{
    /// <summary>Calls allowed per window.</summary>
    [Description("Calls allowed per window.")]
    public int PermitLimit { get; set; } = 60;

    /// <summary>The window, in seconds.</summary>
    [Description("The window, in seconds.")]
    public int Window { get; set; } = 60;

    /// <summary>Whose calls are counted together.</summary>
    [Description("Whose calls are counted together: User, Address or Everyone.")]
    public RateLimitScope PartitionBy { get; set; } = RateLimitScope.User;
}

/// <summary>
/// The rate-limit policies by name, from the <c>Tessera:RateLimits</c> section
/// (<c>Tessera:RateLimits:messages:PermitLimit</c>) and <c>AddRateLimit</c>; configuration wins over code.
/// </summary>
public sealed class RateLimitOptions : Dictionary<string, RateLimitPolicy>
{
    /// <summary>The configuration section the policies are read from.</summary>
    public const string SectionName = "Tessera:RateLimits";

    /// <summary>An empty set of policies.</summary>
    public RateLimitOptions()
        : base(StringComparer.Ordinal)
    {
    }
}
