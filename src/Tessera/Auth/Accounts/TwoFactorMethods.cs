using System.ComponentModel;
using Tessera.Errors;

namespace Tessera.Auth.Accounts;

/// <summary>
/// Two-factor sign-in for the signed-in user: <c>account.totp_setup</c> gives the secret (and the <c>otpauth://</c>
/// URI an authenticator app scans), <c>account.totp_enable</c> confirms a first code and answers ten recovery codes,
/// <c>account.totp_disable</c> turns it off given a code. Once on, <c>account.login</c> needs <c>totp</c> as well.
/// </summary>
[Authenticated]
internal sealed class TwoFactorMethods(TwoFactor twoFactor)
{
    [Method("account.totp_setup")]
    [Description("Starts two-factor sign-in: answers {secret, uri}; it is on once account.totp_enable confirms a code.")]
    public async Task<TotpSetup> SetUpAsync(Account account, MethodContext context)
    {
        if (TwoFactor.IsEnabled(account))
        {
            throw Refuse("two-factor sign-in is already on; turn it off with account.totp_disable first");
        }

        var (secret, uri) = await twoFactor.SetUpAsync(account, context.CancellationToken);
        return new TotpSetup(secret, uri);
    }

    [Method("account.totp_enable")]
    [Description("Turns two-factor sign-in on with a current code; answers ten single-use recovery codes, shown this once.")]
    public async Task<TotpEnabled> EnableAsync(Account account, string code, MethodContext context) =>
        await twoFactor.EnableAsync(account, code, context.CancellationToken) is { } recoveryCodes
            ? new TotpEnabled(true, recoveryCodes)
            : throw Refuse("the code does not match the secret of account.totp_setup (or was used already)");

    [Method("account.totp_disable")]
    [Description("Turns two-factor sign-in off, given a current code or a recovery code.")]
    public async Task<TotpEnabled> DisableAsync(Account account, string code, MethodContext context)
    {
        if (!await twoFactor.VerifyAsync(account, code, context.CancellationToken))
        {
            throw Refuse("the code is not a current code or an unused recovery code");
        }

        await twoFactor.DisableAsync(account, context.CancellationToken);
        return new TotpEnabled(false, []);
    }

    private static MethodException Refuse(string problem)
    {
        var error = ErrorTable.InvalidParameters([problem]);
        return new MethodException(error.Code, error.Value);
    }
}

internal sealed record TotpSetup(string Secret, string Uri);

internal sealed record TotpEnabled(bool Enabled, IReadOnlyList<string> RecoveryCodes);
