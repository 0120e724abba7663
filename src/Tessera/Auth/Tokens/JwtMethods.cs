using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Observability;
using Tessera.Stores;

namespace Tessera.Auth.Tokens;

/// <summary>
/// Bearer tokens for clients that prefer them to sessions: <c>account.token</c> turns a signed-in session into a
/// short-lived JWT access token and a refresh token; <c>account.refresh</c> trades a refresh token for a new pair.
/// Refresh tokens rotate: each works once, and presenting a spent one (a stolen copy racing its owner) revokes every
/// token of its family. Ending every session of a user (logout everywhere, a password change or reset) ends their
/// tokens too.
/// </summary>
internal sealed class JwtMethods(
    JwtTokens jwt,
    TokenService tokens,
    AccountService accounts,
    INonceStore nonces,
    IOptions<SecurityOptions> options,
    TimeProvider time,
    ILogger<JwtMethods> logger)
{
    private const string RefreshPurpose = "tessera.refresh";
    private readonly TimeSpan _refreshLifetime = TimeSpan.FromSeconds(options.Value.RefreshTokenSeconds);

    [Method("account.token")]
    [Description("Answers {access_token, refresh_token, expires_in, token_type} for the signed-in session.")]
    [Authenticated]
    public TokenPair Token(Account account, MethodContext context)
    {
        if (context.Session is null)
        {
            // A bearer token cannot mint itself a fresh family: only a real sign-in can.
            throw new MethodException(ErrorCodes.NotAuthorized, "account.token needs a session (sign in with account.login), not a bearer token.");
        }

        var family = new Family(account.UserId, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)), time.GetUtcNow());
        return Pair(family);
    }

    [Method("account.refresh")]
    [Description("Trades a refresh token (once) for a new access and refresh token; reusing one revokes its whole family.")]
    public async Task<TokenPair> RefreshAsync(string refreshToken, MethodContext context)
    {
        var ct = context.CancellationToken;
        var (subject, spent) = await tokens.SpendOrReportAsync(refreshToken, RefreshPurpose, ct);
        if (subject is null || Family.Parse(subject) is not { } family)
        {
            throw Refused();
        }

        var revokedKey = "jwt-family:" + family.Id;
        if (spent)
        {
            Log.RefreshTokenReused(logger, family.UserId);
            await nonces.TryAddAsync(revokedKey, family.CreatedAt + _refreshLifetime, ct);
            throw Refused();
        }

        if (await nonces.ContainsAsync(revokedKey, time.GetUtcNow(), ct)
            || await accounts.FindAsync(family.UserId, ct) is not { } account
            || (account.Record.SessionsValidAfter is { } validAfter && family.CreatedAt < validAfter))
        {
            throw Refused();
        }

        return Pair(family);
    }

    private TokenPair Pair(Family family)
    {
        var remaining = family.CreatedAt + _refreshLifetime - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            throw Refused();
        }

        return new TokenPair(
            jwt.Issue(family.UserId),
            tokens.Issue(RefreshPurpose, family.ToString(), remaining),
            (long)jwt.AccessLifetime.TotalSeconds,
            "Bearer");
    }

    private static MethodException Refused() =>
        new(ErrorCodes.NotAuthorized, "The refresh token is invalid, expired, revoked or already used; sign in again.");

    /// <summary>The tokens descended from one sign-in, revoked together.</summary>
    private sealed record Family(string UserId, string Id, DateTimeOffset CreatedAt)
    {
        public static Family? Parse(string subject) =>
            subject.Split('\n') is [var userId, var id, var created] && long.TryParse(created, CultureInfo.InvariantCulture, out var seconds)
                ? new Family(userId, id, DateTimeOffset.FromUnixTimeMilliseconds(seconds))
                : null;

        public override string ToString() => $"{UserId}\n{Id}\n{CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";
    }
}

internal sealed record TokenPair(string AccessToken, string RefreshToken, long ExpiresIn, string TokenType);
