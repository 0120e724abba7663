using System.ComponentModel;

namespace Tessera;

/// <summary>
/// Session options, in the <c>Tessera:Sessions</c> section. The defaults are deliberately shorter than Toto's (a year
/// for users): a week of inactivity ends a user session, and no session outlives thirty days however active.
/// </summary>
public sealed class TesseraSessionOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera:Sessions";

    /// <summary>Seconds a user session lives without use.</summary>
    [Description("Seconds a user session lives without use (sliding when session_renew is on).")]
    public int SessionTtl { get; set; } = 7 * 24 * 3600;

    /// <summary>Seconds an anonymous session lives.</summary>
    [Description("Seconds an anonymous session lives.")]
    public int AnonSessionTtl { get; set; } = 24 * 3600;

    /// <summary>Whether each authenticated call slides a user session's expiry forward (at most once a minute).</summary>
    [Description("Slide a user session's expiry forward on authenticated calls.")]
    public bool SessionRenew { get; set; } = true;

    /// <summary>The hard limit on a session's life in seconds, renewals included.</summary>
    [Description("Hard limit on a session's life in seconds, renewals included.")]
    public int SessionMaxLifetime { get; set; } = 30 * 24 * 3600;

    /// <summary>Whether the session id also travels in the <c>toto-session-id</c> cookie (the header wins).</summary>
    [Description("Also carry the session id in the HttpOnly toto-session-id cookie (the header wins).")]
    public bool UseCookies { get; set; }

    /// <summary>
    /// Whether session records travel inside the session id itself, encrypted and authenticated with ASP.NET Core Data
    /// Protection, instead of living in the store. Logout still ends them (a revocation is stored until they would
    /// have expired), but two concurrent writes of one session's state cannot be reconciled: the last wins.
    /// </summary>
    [Description("Keep sessions inside the session id, encrypted with Data Protection, instead of in the store.")]
    public bool StatelessSessions { get; set; }

    /// <summary>Seconds between sweeps that delete expired sessions and nonces.</summary>
    [Description("Seconds between sweeps that delete expired sessions and nonces.")]
    public int SessionCleanupInterval { get; set; } = 600;
}
