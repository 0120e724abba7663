using System.ComponentModel;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Tessera.Auth.Mail;
using Tessera.Auth.Throttling;

namespace Tessera.Auth.Accounts;

/// <summary>
/// Password reset and e-mail address verification by one-time links, as cyclone and Atila services did by hand. A
/// reset request answers the same whether or not the account exists, and sends at most one mail a minute per account.
/// A reset token is bound to the password it replaces, so it dies when the password changes by any means; it is spent
/// once, and a reset ends every session of the user.
/// </summary>
internal sealed class AccountRecoveryMethods(
    AccountService accounts,
    AccountPolicy policy,
    ITokenService tokens,
    MailQueue mail,
    MailCooldown cooldown,
    IOptions<MailOptions> options)
{
    public const string ResetPurpose = "tessera.password-reset";
    public const string VerifyPurpose = "tessera.email-verification";
    public const string VerifiedField = "email_verified";

    private readonly MailOptions _options = options.Value;

    [Method("account.request_password_reset")]
    [Description("Sends a password-reset link to the account's e-mail address; answers the same whether or not the account exists.")]
    public async Task<MailRequested> RequestPasswordResetAsync(string userId, MethodContext context)
    {
        var account = AccountPolicy.Normalize(userId) is { } id ? await accounts.FindAsync(id, context.CancellationToken) : null;
        if (account is not null && AddressOf(account) is { } to && cooldown.MayMail("reset:" + account.UserId))
        {
            var token = tokens.Issue(ResetPurpose, $"{account.UserId}\n{Stamp(account)}", Lifetime);
            mail.Enqueue(new EmailMessage(to, "Reset your password", Letter(
                "Someone (we hope you) asked to reset the password of your account " + account.UserId + ".",
                _options.PasswordResetLink, token,
                "If it was not you, ignore this message: your password has not changed.")));
        }

        return new MailRequested(true);
    }

    [Method("account.reset_password")]
    [Description("Sets a new password with the token of a reset link (once), and ends every session of the user.")]
    public async Task<PasswordReset> ResetPasswordAsync(string token, string password, MethodContext context)
    {
        var ct = context.CancellationToken;
        var subject = await tokens.VerifyAsync(token, ResetPurpose, ct);
        var account = subject?.Split('\n') is [var userId, var stamp] && await accounts.FindAsync(userId, ct) is { } found
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stamp), Encoding.ASCII.GetBytes(Stamp(found)))
                ? found
                : null;
        if (account is null)
        {
            throw InvalidLink("reset");
        }

        // The password is checked before the token is spent, so a refused password does not burn the link.
        policy.RequireNewPassword(password, account.UserId, "password");
        if (await tokens.SpendAsync(token, ResetPurpose, ct) is null)
        {
            throw InvalidLink("reset");
        }

        await accounts.UpdateAsync(account, password, [], ClientAddress.Of(context.HttpContext), ct);
        await accounts.EndAllSessionsAsync(account.UserId, ct);
        return new PasswordReset(account.UserId);
    }

    [Method("account.request_email_verification")]
    [Description("Sends a verification link to the signed-in account's e-mail address (its user id, or its 'email' field).")]
    [Authenticated]
    public MailRequested RequestEmailVerification(Account account)
    {
        var to = AddressOf(account) ?? throw new MethodException(ErrorCodes.InvalidParameters,
            "The account has no e-mail address: its user id is not one and it has no 'email' field.");
        if (cooldown.MayMail("verify:" + account.UserId))
        {
            var token = tokens.Issue(VerifyPurpose, $"{account.UserId}\n{to}", Lifetime);
            mail.Enqueue(new EmailMessage(to, "Confirm your e-mail address", Letter(
                "Confirm that " + to + " is the address of your account " + account.UserId + ".",
                _options.VerificationLink, token,
                "If you did not ask for this, ignore this message.")));
        }

        return new MailRequested(true);
    }

    [Method("account.verify_email")]
    [Description("Marks the account's e-mail address verified with the token of a verification link (once).")]
    public async Task<Verified> VerifyEmailAsync(string token, MethodContext context)
    {
        var ct = context.CancellationToken;
        if (await tokens.SpendAsync(token, VerifyPurpose, ct) is not { } subject
            || subject.Split('\n') is not [var userId, var address]
            || await accounts.FindAsync(userId, ct) is not { } account
            || AddressOf(account) != address)
        {
            throw InvalidLink("verification");
        }

        await accounts.UpdateAsync(account, newPassword: null, new JsonObject { [VerifiedField] = address }, ClientAddress.Application, ct);
        return new Verified(address);
    }

    private TimeSpan Lifetime => TimeSpan.FromMinutes(_options.TokenMinutes);

    /// <summary>The account's e-mail address: its user id when that is one, else its <c>email</c> field.</summary>
    private static string? AddressOf(Account account) =>
        IsAddress(account.UserId) ? account.UserId
        : account.Fields.TryGetValue("email", out var email) && email.ValueKind == System.Text.Json.JsonValueKind.String
            && IsAddress(email.GetString()!) ? email.GetString()
        : null;

    private static bool IsAddress(string text) =>
        MailAddress.TryCreate(text, out var address) && address.Address == text && address.Host.Contains('.', StringComparison.Ordinal);

    /// <summary>A fingerprint of the current password hash: a reset token names the password it may replace.</summary>
    private static string Stamp(Account account) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(account.Record.PasswordHash)), 0, 8);

    private string Letter(string opening, string linkTemplate, string token, string closing)
    {
        var action = linkTemplate.Length > 0
            ? "Open this link:\n\n" + linkTemplate.Replace("{token}", Uri.EscapeDataString(token), StringComparison.Ordinal)
            : "Your code:\n\n" + token;
        return $"{opening}\n\n{action}\n\nIt works once, within {_options.TokenMinutes} minutes.\n\n{closing}\n";
    }

    private static MethodException InvalidLink(string kind) =>
        new(ErrorCodes.NotAuthorized, $"The {kind} link is invalid, expired or already used; ask for a new one.");
}

internal sealed record MailRequested(bool Requested);

internal sealed record PasswordReset(string UserId);

internal sealed record Verified(string Email);
