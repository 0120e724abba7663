namespace Tessera;

/// <summary>
/// One-time tokens, Atila's <c>encode_ott</c> / <c>decode_ott</c> / <c>revoke_ott</c>: a signed, encrypted token for a
/// purpose (<c>"password-reset"</c>), a subject (a user id) and a lifetime, safe to put in a link. A token is checked
/// against the purpose it was issued for, and can be spent once or revoked; both are recorded in the shared nonce
/// store, so every instance agrees. Tokens are protected with ASP.NET Core Data Protection: instances that verify each
/// other's tokens must share its keys (as they do for stateless sessions).
/// </summary>
public interface ITokenService
{
    /// <summary>A new token for <paramref name="purpose"/> and <paramref name="subject"/>, valid for <paramref name="lifetime"/>.</summary>
    string Issue(string purpose, string subject, TimeSpan lifetime);

    /// <summary>The token's subject when it was issued for <paramref name="purpose"/>, has not expired, and was neither spent nor revoked; else null.</summary>
    Task<string?> VerifyAsync(string token, string purpose, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="VerifyAsync"/>, and marks the token spent: of concurrent spends of one token, one wins.</summary>
    Task<string?> SpendAsync(string token, string purpose, CancellationToken cancellationToken = default);

    /// <summary>Makes the token worthless before it expires; false when it was not a valid token of any purpose.</summary>
    Task<bool> RevokeAsync(string token, CancellationToken cancellationToken = default);
}
