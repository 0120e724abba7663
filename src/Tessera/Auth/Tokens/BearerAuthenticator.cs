namespace Tessera.Auth.Tokens;

/// <summary>
/// The account an <c>Authorization: Bearer</c> access token stands for, on any wire: a valid token of an account that
/// still exists and whose sessions were not all ended after the token was issued. Anything else is refused. (<c>iat</c>
/// has whole seconds, so a token issued in the same second as "end every session", before or after it, is refused.)
/// </summary>
internal sealed class BearerAuthenticator(JwtTokens jwt, AccountService accounts)
{
    private const string Scheme = "Bearer ";

    /// <summary>The token in the request's Authorization header, or null.</summary>
    public static string? TokenOf(Caller caller)
    {
        var header = caller.Http.Request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length ? header[Scheme.Length..].Trim() : null;
    }

    public async Task<Account?> AuthenticateAsync(string token, CancellationToken cancellationToken) =>
        await jwt.ValidateAsync(token) is { } valid
        && await accounts.FindAsync(valid.UserId, cancellationToken) is { } account
        && (account.Record.SessionsValidAfter is not { } validAfter || valid.IssuedAt >= validAfter)
            ? account
            : null;
}
