using System.ComponentModel;

namespace Tessera;

/// <summary>How requests and responses are signed (docs/protocol.md section 1, "Request signing modes").</summary>
public enum HmacMode
{
    /// <summary>No signatures.</summary>
    Off,

    /// <summary>TotoClient-JS's scheme: HMAC-SHA1 keyed by the user id. Weak by design (the key is public).</summary>
    Legacy,

    /// <summary>Toto's later scheme: HMAC-SHA1 with a per-session key returned at login.</summary>
    Toto,

    /// <summary>Tessera's scheme: HMAC-SHA256 over a canonical request with a timestamp and a single-use nonce.</summary>
    Signed,
}

/// <summary>Security options, in the <c>Tessera:Security</c> section.</summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera:Security";

    /// <summary>The signing mode.</summary>
    [Description("Request signing: Off, Legacy (TotoClient-JS, weak), Toto, or Signed (recommended).")]
    public HmacMode Hmac { get; set; } = HmacMode.Off;

    /// <summary>How far a signed request's timestamp may be from the server's clock, in seconds.</summary>
    [Description("Seconds a signed request's timestamp may differ from the server clock.")]
    public int SignatureWindow { get; set; } = 300;

    /// <summary>PBKDF2-HMAC-SHA512 iterations for new password hashes; older hashes are upgraded at login.</summary>
    [Description("PBKDF2-HMAC-SHA512 iterations for password hashes (at least 210000).")]
    public int PasswordIterations { get; set; } = 210_000;

    /// <summary>How many password hashes may be computed at once, so a flood of logins cannot take every core.</summary>
    [Description("Password hashes computed at once; further logins wait their turn.")]
    public int MaxConcurrentHashes { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// Comma-separated SHA-256 hashes (hex) of the API tokens <c>[ApiToken]</c> methods accept. Store hashes, not
    /// tokens: <c>printf %s "$TOKEN" | sha256sum</c>.
    /// </summary>
    [Description("Comma-separated SHA-256 hex hashes of accepted API tokens for [ApiToken] methods.")]
    public string ApiTokenHashes { get; set; } = string.Empty;
}
