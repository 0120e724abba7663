using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Observability;

namespace Tessera.Auth.Tokens;

/// <summary>
/// JWT access tokens with Microsoft.IdentityModel.JsonWebTokens: <c>sub</c> (the user id), <c>iat</c>, <c>nbf</c>,
/// <c>exp</c>, <c>jti</c>, <c>iss</c> and <c>aud</c>, signed with the one configured algorithm. Only that algorithm
/// is accepted on the way in, so <c>alg: none</c> and algorithm confusion are refused; so are other keys, expired and
/// not-yet-valid tokens (30 s of clock skew), each logged with the reason.
/// </summary>
internal sealed class JwtTokens
{
    private readonly SecurityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<JwtTokens> _logger;

    // IdentityModel's key, handler and parameters are made by the first token issued or checked: loading and setting up
    // its assemblies was 15 ms of every start-up, also for services that never use a bearer token. Whatever can be
    // wrong with the configured key (a file that is not a PEM key) still shows at start-up: see ReadKey.
    private readonly Lazy<Keys> _keys;

    public JwtTokens(IOptions<SecurityOptions> options, TimeProvider time, ILogger<JwtTokens> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        var material = ReadKey(_options, logger);
        _keys = new Lazy<Keys>(() => new Keys(material, _options, CheckLifetime));
    }

    public TimeSpan AccessLifetime => TimeSpan.FromSeconds(_options.AccessTokenSeconds);

    public string Issue(string userId)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _keys.Value.Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.JwtIssuer,
            Audience = _options.JwtAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + AccessLifetime,
            SigningCredentials = _keys.Value.Signing,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId,
                [JwtRegisteredClaimNames.Jti] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            },
        });
    }

    /// <summary>The user id and issue time of a valid token; null (and the reason logged) for any other.</summary>
    public async Task<(string UserId, DateTimeOffset IssuedAt)?> ValidateAsync(string token)
    {
        var keys = _keys.Value;
        var result = await keys.Handler.ValidateTokenAsync(token, keys.Validation);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt || !result.Claims.TryGetValue(JwtRegisteredClaimNames.Sub, out var sub) || sub is not string userId)
        {
            Log.BearerRefused(_logger, result.Exception?.GetType().Name ?? "no subject", result.Exception?.Message ?? "the token names no user");
            return null;
        }

        return (userId, new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero));
    }

    /// <summary>Expiry and not-before against the service's <see cref="TimeProvider"/>, with 30 s of clock skew.</summary>
    private bool CheckLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromSeconds(30);
        if (expires is not { } expiry)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (notBefore is { } start && start > now + skew)
        {
            throw new SecurityTokenNotYetValidException($"The token is valid from {start:O}; it is {now:O}.") { NotBefore = start };
        }

        if (expiry < now - skew)
        {
            throw new SecurityTokenExpiredException($"The token expired at {expiry:O}; it is {now:O}.") { Expires = expiry };
        }

        return true;
    }

    /// <summary>
    /// The configured key, read and checked now: a PEM file that holds no key of the algorithm stops start-up, and a
    /// service with no <c>jwt_key</c> says at once that its tokens end with the process.
    /// </summary>
    private static KeyMaterial ReadKey(SecurityOptions options, ILogger logger)
    {
        switch (options.JwtAlgorithm)
        {
            case JwtAlgorithm.RS256:
                var rsa = RSA.Create();
                rsa.ImportFromPem(File.ReadAllText(options.JwtKeyFile));
                return new KeyMaterial(rsa, null);
            case JwtAlgorithm.ES256:
                var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(File.ReadAllText(options.JwtKeyFile));
                return new KeyMaterial(ecdsa, null);
            default:
                if (options.JwtKey.Length > 0)
                {
                    return new KeyMaterial(null, Convert.FromBase64String(options.JwtKey));
                }

                // The process's own random key is drawn with the rest, by the first token.
                Log.JwtKeyEphemeral(logger);
                return new KeyMaterial(null, null);
        }
    }

    /// <summary>An asymmetric private key (RS256, ES256), an HS256 secret, or neither: a random HS256 key.</summary>
    private sealed record KeyMaterial(AsymmetricAlgorithm? Asymmetric, byte[]? Secret);

    /// <summary>IdentityModel's side: the signing credentials, the validation parameters and the handler.</summary>
    private sealed class Keys
    {
        public Keys(KeyMaterial material, SecurityOptions options, LifetimeValidator checkLifetime)
        {
            (SecurityKey key, string algorithm) = material.Asymmetric switch
            {
                RSA rsa => (new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256),
                ECDsa ecdsa => ((SecurityKey)new ECDsaSecurityKey(ecdsa), SecurityAlgorithms.EcdsaSha256),
                _ => (new SymmetricSecurityKey(material.Secret ?? RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256),
            };
            Signing = new SigningCredentials(key, algorithm);
            Validation = new TokenValidationParameters
            {
                IssuerSigningKey = key,
                ValidAlgorithms = [algorithm],
                ValidIssuer = options.JwtIssuer,
                ValidAudience = options.JwtAudience,
                ValidateIssuerSigningKey = true,
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                LifetimeValidator = checkLifetime,
            };
        }

        public SigningCredentials Signing { get; }

        public TokenValidationParameters Validation { get; }

        public JsonWebTokenHandler Handler { get; } = new() { MapInboundClaims = false };
    }
}
