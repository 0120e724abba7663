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
    private readonly SigningCredentials _signing;
    private readonly TokenValidationParameters _validation;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public JwtTokens(IOptions<SecurityOptions> options, TimeProvider time, ILogger<JwtTokens> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        (var key, var algorithm) = SigningKey(_options, logger);
        _signing = new SigningCredentials(key, algorithm);
        _validation = new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [algorithm],
            ValidIssuer = _options.JwtIssuer,
            ValidAudience = _options.JwtAudience,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            LifetimeValidator = CheckLifetime,
        };
    }

    public TimeSpan AccessLifetime => TimeSpan.FromSeconds(_options.AccessTokenSeconds);

    public string Issue(string userId)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.JwtIssuer,
            Audience = _options.JwtAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + AccessLifetime,
            SigningCredentials = _signing,
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
        var result = await _handler.ValidateTokenAsync(token, _validation);
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

    private static (SecurityKey Key, string Algorithm) SigningKey(SecurityOptions options, ILogger logger)
    {
        switch (options.JwtAlgorithm)
        {
            case JwtAlgorithm.RS256:
                var rsa = RSA.Create();
                rsa.ImportFromPem(File.ReadAllText(options.JwtKeyFile));
                return (new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256);
            case JwtAlgorithm.ES256:
                var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(File.ReadAllText(options.JwtKeyFile));
                return (new ECDsaSecurityKey(ecdsa), SecurityAlgorithms.EcdsaSha256);
            default:
                byte[] secret;
                if (options.JwtKey.Length > 0)
                {
                    secret = Convert.FromBase64String(options.JwtKey);
                }
                else
                {
                    Log.JwtKeyEphemeral(logger);
                    secret = RandomNumberGenerator.GetBytes(32);
                }

                return (new SymmetricSecurityKey(secret), SecurityAlgorithms.HmacSha256);
        }
    }
}
