using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Stores;

namespace Tessera.Auth.Tokens;

/// <summary>
/// Tokens are Data Protection payloads (authenticated encryption, so they can be neither forged nor read) of: a random
/// 16-byte id, the expiry, the purpose and the subject, in base64url. The purpose is inside the payload and checked, so
/// a token of one purpose is refused for another. Spending or revoking records <c>ott:{id}</c> in the nonce store until
/// the token would have expired anyway.
/// </summary>
internal sealed class TokenService(IDataProtectionProvider protection, INonceStore nonces, TimeProvider time) : ITokenService
{
    private const int IdBytes = 16;
    private readonly IDataProtector _protector = protection.CreateProtector("Tessera.OneTimeTokens");

    public string Issue(string purpose, string subject, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var purposeBytes = Encoding.UTF8.GetBytes(purpose);
        var subjectBytes = Encoding.UTF8.GetBytes(subject);
        var payload = new byte[IdBytes + 8 + 2 + purposeBytes.Length + subjectBytes.Length];
        RandomNumberGenerator.Fill(payload.AsSpan(0, IdBytes));
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(IdBytes), (time.GetUtcNow() + lifetime).ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(IdBytes + 8), checked((ushort)purposeBytes.Length));
        purposeBytes.CopyTo(payload, IdBytes + 10);
        subjectBytes.CopyTo(payload, IdBytes + 10 + purposeBytes.Length);
        return WebEncoders.Base64UrlEncode(_protector.Protect(payload));
    }

    public async Task<string?> VerifyAsync(string token, string purpose, CancellationToken cancellationToken = default) =>
        Read(token) is { } read && read.Purpose == purpose && read.ExpiresAt > time.GetUtcNow()
        && !await nonces.ContainsAsync(read.Key, time.GetUtcNow(), cancellationToken)
            ? read.Subject
            : null;

    public async Task<string?> SpendAsync(string token, string purpose, CancellationToken cancellationToken = default) =>
        Read(token) is { } read && read.Purpose == purpose && read.ExpiresAt > time.GetUtcNow()
        && await nonces.TryAddAsync(read.Key, read.ExpiresAt, cancellationToken)
            ? read.Subject
            : null;

    /// <summary>Spends the token; tells a spent (or revoked) token from an invalid one, for reuse detection.</summary>
    public async Task<(string? Subject, bool AlreadySpent)> SpendOrReportAsync(string token, string purpose, CancellationToken cancellationToken)
    {
        if (Read(token) is not { } read || read.Purpose != purpose || read.ExpiresAt <= time.GetUtcNow())
        {
            return (null, false);
        }

        return await nonces.TryAddAsync(read.Key, read.ExpiresAt, cancellationToken) ? (read.Subject, false) : (read.Subject, true);
    }

    public async Task<bool> RevokeAsync(string token, CancellationToken cancellationToken = default)
    {
        if (Read(token) is not { } read)
        {
            return false;
        }

        if (read.ExpiresAt > time.GetUtcNow())
        {
            await nonces.TryAddAsync(read.Key, read.ExpiresAt, cancellationToken);
        }

        return true;
    }

    private DecodedToken? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return null;
        }

        byte[] payload;
        try
        {
            payload = _protector.Unprotect(WebEncoders.Base64UrlDecode(token));
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            return null;
        }

        if (payload.Length < IdBytes + 10)
        {
            return null;
        }

        var purposeLength = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(IdBytes + 8));
        if (payload.Length < IdBytes + 10 + purposeLength)
        {
            return null;
        }

        return new DecodedToken(
            "ott:" + Convert.ToHexString(payload, 0, IdBytes),
            DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(IdBytes))),
            Encoding.UTF8.GetString(payload, IdBytes + 10, purposeLength),
            Encoding.UTF8.GetString(payload, IdBytes + 10 + purposeLength, payload.Length - IdBytes - 10 - purposeLength));
    }

    private sealed record DecodedToken(string Key, DateTimeOffset ExpiresAt, string Purpose, string Subject);
}
