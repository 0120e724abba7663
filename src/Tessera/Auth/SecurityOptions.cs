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

/// <summary>How JWT access tokens are signed.</summary>
public enum JwtAlgorithm
{
    /// <summary>HMAC-SHA256 with the shared secret <c>jwt_key</c>: every instance that checks tokens holds the secret.</summary>
    HS256,

    /// <summary>RSA-SHA256 with the private key in <c>jwt_key_file</c> (PEM).</summary>
    RS256,

    /// <summary>ECDSA P-256 with the private key in <c>jwt_key_file</c> (PEM).</summary>
    ES256,
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
    /// How many password hashes one client address may have waiting for a slot; past that its sign-ins, sign-ups and
    /// password changes are refused at once with 1014 and <c>Retry-After</c> instead of waiting behind its own flood.
    /// </summary>
    [Description("Password hashes one client address may have waiting; past that it gets 1014 and Retry-After at once.")]
    public int MaxQueuedHashesPerClient { get; set; } = 16;

    /// <summary>Failed sign-ins to one account before each further one must wait (1 s, then doubling).</summary>
    [Description("Failed sign-ins to one account before further ones must wait (1 s, doubling, up to login_lock_seconds).")]
    public int LoginFailuresPerAccount { get; set; } = 5;

    /// <summary>Failed sign-ins from one client address before each further one must wait.</summary>
    [Description("Failed sign-ins from one client address before further ones must wait.")]
    public int LoginFailuresPerAddress { get; set; } = 20;

    /// <summary>The longest wait, reached after enough failures: a lock for that many seconds.</summary>
    [Description("Longest wait between failed sign-ins, in seconds: a lock once reached.")]
    public int LoginLockSeconds { get; set; } = 900;

    /// <summary>The issuer authenticator apps show beside two-factor codes; empty means the application's name.</summary>
    [Description("Issuer shown by authenticator apps for two-factor codes; empty means the application's name.")]
    public string TotpIssuer { get; set; } = string.Empty;

    /// <summary>How access tokens are signed.</summary>
    [Description("JWT signing: HS256 (jwt_key), RS256 or ES256 (jwt_key_file, a PEM private key).")]
    public JwtAlgorithm JwtAlgorithm { get; set; } = JwtAlgorithm.HS256;

    /// <summary>
    /// The HS256 secret, base64, at least 32 bytes (<c>openssl rand -base64 32</c>). Empty: a random one per process,
    /// so tokens die with the process and other instances refuse them (a warning says so at start-up).
    /// </summary>
    [Description("HS256 secret for JWT access tokens, base64, 32+ bytes; empty = random per process.")]
    public string JwtKey { get; set; } = string.Empty;

    /// <summary>The PEM file of the RS256 or ES256 private key.</summary>
    [Description("PEM private key file for RS256/ES256 JWT access tokens.")]
    public string JwtKeyFile { get; set; } = string.Empty;

    /// <summary>The <c>iss</c> of access tokens, checked on the way in.</summary>
    [Description("Issuer (iss) of JWT access tokens.")]
    public string JwtIssuer { get; set; } = "tessera";

    /// <summary>The <c>aud</c> of access tokens, checked on the way in.</summary>
    [Description("Audience (aud) of JWT access tokens.")]
    public string JwtAudience { get; set; } = "tessera";

    /// <summary>Seconds an access token is valid.</summary>
    [Description("Seconds a JWT access token is valid.")]
    public int AccessTokenSeconds { get; set; } = 900;

    /// <summary>Seconds a refresh token (and its rotation family) is valid.</summary>
    [Description("Seconds a refresh token is valid; each refresh rotates it.")]
    public int RefreshTokenSeconds { get; set; } = 30 * 24 * 3600;

    /// <summary>The shortest password accepted when an account is created or a password changed.</summary>
    [Description("Shortest password accepted for new and changed passwords (ASVS asks for at least 8).")]
    public int PasswordMinLength { get; set; } = 8;

    /// <summary>The longest password accepted; long enough for passphrases and password managers.</summary>
    [Description("Longest password accepted (at least 64, so passphrases fit).")]
    public int PasswordMaxLength { get; set; } = 128;

    /// <summary>The longest user id accepted for new accounts, after trimming.</summary>
    [Description("Longest user id accepted for new accounts.")]
    public int UserIdMaxLength { get; set; } = 100;

    /// <summary>
    /// The regular expression new user ids must match (after trimming and lower-casing). The default allows letters,
    /// digits and <c>. _ @ + -</c>, starting with a letter or digit: no spaces, markup or invisible characters.
    /// </summary>
    [Description("Regular expression new user ids must match (default: letters, digits and . _ @ + -).")]
    public string UserIdPattern { get; set; } = DefaultUserIdPattern;

    /// <summary>When true, new user ids must be e-mail addresses.</summary>
    [Description("Require new user ids to be e-mail addresses.")]
    public bool UserIdIsEmail { get; set; }

    /// <summary>The default <see cref="UserIdPattern"/>.</summary>
    public const string DefaultUserIdPattern = @"^[\p{L}\p{N}][\p{L}\p{N}._@+\-]*$";

    /// <summary>
    /// Comma-separated SHA-256 hashes (hex) of the API tokens <c>[ApiToken]</c> methods accept. Store hashes, not
    /// tokens: <c>printf %s "$TOKEN" | sha256sum</c>.
    /// </summary>
    [Description("Comma-separated SHA-256 hex hashes of accepted API tokens for [ApiToken] methods.")]
    public string ApiTokenHashes { get; set; } = string.Empty;
}
