using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpNet;
using Tessera.Auth.Throttling;
using Tessera.Stores;

namespace Tessera.Auth.Accounts;

/// <summary>
/// Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s, one step of clock drift either way) with Otp.NET,
/// and ten recovery codes. The secret is kept in the account's <c>_tessera_totp</c> field encrypted with Data
/// Protection, recovery codes as SHA-256 hashes (they are random, so a fast hash is enough). A code is accepted once:
/// its time step is recorded in the shared nonce store, so a code seen on the wire cannot be replayed, on any instance.
/// </summary>
internal sealed class TwoFactor(
    AccountService accounts,
    INonceStore nonces,
    IDataProtectionProvider protection,
    IOptions<SecurityOptions> options,
    IHostEnvironment environment,
    TimeProvider time)
{
    public const string Field = AccountMethods.ServerFieldPrefix + "_totp";
    private const int RecoveryCodes = 10;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    private readonly IDataProtector _protector = protection.CreateProtector("Tessera.TwoFactor");
    private readonly string _issuer = options.Value.TotpIssuer.Length > 0 ? options.Value.TotpIssuer : environment.ApplicationName;

    public static bool IsEnabled(Account account) => State(account)?["enabled"]?.GetValue<bool>() == true;

    /// <summary>A new secret, pending until a code from it is confirmed; any earlier pending secret is replaced.</summary>
    public async Task<(string Secret, string Uri)> SetUpAsync(Account account, CancellationToken cancellationToken)
    {
        var secret = KeyGeneration.GenerateRandomKey(20);
        var state = new JsonObject { ["secret"] = Convert.ToBase64String(_protector.Protect(secret)), ["enabled"] = false };
        await accounts.UpdateAsync(account, newPassword: null, new JsonObject { [Field] = state }, ClientAddress.Application, cancellationToken);
        var base32 = Base32Encoding.ToString(secret).TrimEnd('=');
        var label = Uri.EscapeDataString(_issuer) + ":" + Uri.EscapeDataString(account.UserId);
        return (base32, $"otpauth://totp/{label}?secret={base32}&issuer={Uri.EscapeDataString(_issuer)}&algorithm=SHA1&digits=6&period=30");
    }

    /// <summary>Turns two-factor sign-in on when <paramref name="code"/> comes from the pending secret; answers the recovery codes, shown once.</summary>
    public async Task<IReadOnlyList<string>?> EnableAsync(Account account, string code, CancellationToken cancellationToken)
    {
        if (State(account) is not { } state || state["enabled"]?.GetValue<bool>() == true || !await AcceptCodeAsync(account, state, code, cancellationToken))
        {
            return null;
        }

        var codes = Enumerable.Range(0, RecoveryCodes).Select(_ => NewRecoveryCode()).ToList();
        state["enabled"] = true;
        state["recovery"] = new JsonArray([.. codes.Select(c => (JsonNode)Hash(c))]);
        await accounts.UpdateAsync(account, newPassword: null, new JsonObject { [Field] = state.DeepClone() }, ClientAddress.Application, cancellationToken);
        return codes;
    }

    /// <summary>Turns two-factor sign-in off (the caller proved a second factor first).</summary>
    public Task DisableAsync(Account account, CancellationToken cancellationToken) =>
        accounts.UpdateAsync(account, newPassword: null, new JsonObject { [Field] = null }, ClientAddress.Application, cancellationToken);

    /// <summary>Whether <paramref name="code"/> is a current code or an unused recovery code of the account; either works once.</summary>
    public async Task<bool> VerifyAsync(Account account, string code, CancellationToken cancellationToken)
    {
        if (State(account) is not { } state || state["enabled"]?.GetValue<bool>() != true)
        {
            return false;
        }

        code = code.Trim();
        if (code.Length == 6 && code.All(char.IsAsciiDigit))
        {
            return await AcceptCodeAsync(account, state, code, cancellationToken);
        }

        var hash = Hash(code.ToLowerInvariant());
        if (state["recovery"] is not JsonArray recovery
            || !recovery.Any(h => h is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(h.GetValue<string>()), Encoding.ASCII.GetBytes(hash)))
            || !await nonces.TryAddAsync($"totp-recovery:{account.UserId}:{hash}", time.GetUtcNow().AddYears(10), cancellationToken))
        {
            return false;
        }

        state["recovery"] = new JsonArray([.. recovery.Where(h => h?.GetValue<string>() != hash).Select(h => h!.DeepClone())]);
        await accounts.UpdateAsync(account, newPassword: null, new JsonObject { [Field] = state.DeepClone() }, ClientAddress.Application, cancellationToken);
        return true;
    }

    private async Task<bool> AcceptCodeAsync(Account account, JsonObject state, string code, CancellationToken cancellationToken)
    {
        byte[] secret;
        try
        {
            secret = _protector.Unprotect(Convert.FromBase64String(state["secret"]!.GetValue<string>()));
        }
        catch (CryptographicException)
        {
            return false;
        }

        var totp = new Totp(secret, (int)Step.TotalSeconds, OtpHashMode.Sha1, 6);
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code.Trim(), out var step, new VerificationWindow(previous: 1, future: 1))
            && await nonces.TryAddAsync($"totp:{account.UserId}:{step}", time.GetUtcNow() + (Step * 4), cancellationToken);
    }

    private static JsonObject? State(Account account) =>
        account.Fields.TryGetValue(Field, out var value) && value.ValueKind == JsonValueKind.Object
            ? JsonNode.Parse(value.GetRawText()) as JsonObject
            : null;

    private static string NewRecoveryCode()
    {
        var text = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10)).ToLowerInvariant();
        return $"{text[..8]}-{text[8..16]}";
    }

    private static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
