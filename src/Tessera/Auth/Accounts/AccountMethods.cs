using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Tessera.Auth.Sessions;
using Tessera.Auth.Throttling;
using Tessera.Errors;
using Tessera.Observability;

namespace Tessera.Auth.Accounts;

/// <summary>The built-in <c>account.*</c> methods of docs/protocol.md section 1, enabled by <c>AddAccounts()</c>.</summary>
internal sealed class AccountMethods(AccountService accounts, SessionManager sessions, LoginThrottle throttle, TwoFactor twoFactor, ILogger<AccountMethods> logger)
{
    /// <summary>Fields under this prefix are Tessera's own (two-factor secrets, recovery codes).</summary>
    public const string ServerFieldPrefix = "_tessera";

    // Members of a create or update call that are not account fields.
    private static readonly HashSet<string> NotFields =
        new(["user_id", "userId", "password", "new_password", "newPassword", "totp", "method", "parameters"], StringComparer.Ordinal);

    [Method("account.create")]
    [Description("Creates an account (user ids are lower-cased; extra parameters are stored as fields) and signs in.")]
    public async Task<LoginResult> CreateAsync(string userId, string password, [AllParameters] JsonElement parameters, MethodContext context)
    {
        var account = await accounts.CreateAsync(userId, password, FieldsOf(parameters), ClientAddress.Of(context.HttpContext), context.CancellationToken);
        return await SignInAsync(account, context);
    }

    [Method("account.login")]
    [Description("Signs in and answers a new session; with two-factor sign-in on, totp is a current code or a recovery code.")]
    public async Task<LoginResult> LoginAsync(string userId, string password, MethodContext context, string? totp = null)
    {
        var account = await CheckPasswordAsync(userId, password, context, totp);
        return await SignInAsync(account, context);
    }

    [Method("account.logout")]
    [Description("Ends the caller's session on the server.")]
    [OptionallyAuthenticated]
    public async Task<LogoutResult> LogoutAsync(MethodContext context)
    {
        if (context.Session is not { } session)
        {
            throw new MethodException(ErrorCodes.NotAuthorized, "Not authorized");
        }

        await sessions.EndAsync(context.Caller, session, context.CancellationToken);
        return new LogoutResult(Authenticated: false);
    }

    [Method("account.update")]
    [Description("Changes the password and/or fields, given the current password.")]
    [Authenticated]
    public async Task<Dictionary<string, object?>> UpdateAsync(
        string password,
        [AllParameters] JsonElement parameters,
        MethodContext context,
        string? newPassword = null)
    {
        var ct = context.CancellationToken;
        var account = await CheckPasswordAsync(context.Account!.UserId, password, context);

        var fields = FieldsOf(parameters);
        await accounts.UpdateAsync(account, newPassword, fields, ClientAddress.Of(context.HttpContext), ct);
        var updated = fields.Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        var answer = new Dictionary<string, object?> { ["updated_fields"] = updated };
        if (newPassword is null)
        {
            return answer;
        }

        // A new password ends every session of the user, this one included, and signs this client in afresh.
        updated.Add("password");
        await accounts.EndAllSessionsAsync(account.UserId, ct);
        var login = await SignInAsync(account, context);
        answer["session_id"] = login.SessionId;
        answer["expires"] = login.Expires;
        answer["user_id"] = login.UserId;
        if (login.Key is not null)
        {
            answer["key"] = login.Key;
        }

        return answer;
    }

    /// <summary>
    /// The account whose password (and, for a sign-in with two-factor on, second factor) this is, or 1005; 1015 when
    /// the second factor is missing; 1014 while the account or the client address must wait after
    /// failures (checked before hashing, and whether or not the password is right).
    /// </summary>
    private async Task<Account> CheckPasswordAsync(string userId, string password, MethodContext context, string? totp = null)
    {
        var address = ClientAddress.Of(context.HttpContext);
        var key = AccountPolicy.Normalize(userId) ?? string.Empty;
        if (throttle.RetryAfter(key, address) is { } wait)
        {
            Log.SignInThrottled(logger, key, address, ErrorTable.RetryAfterSeconds(wait));
            throw new TooManyRequestsException(wait);
        }

        if (await accounts.VerifyAsync(userId, password, address, context.CancellationToken) is not { } account)
        {
            throttle.Failed(key, address);
            Log.SignInFailed(logger, userId);
            var error = ErrorTable.InvalidCredentials();
            throw new MethodException(error.Code, error.Value);
        }

        if (TwoFactor.IsEnabled(account) && context.MethodName == "account.login")
        {
            if (string.IsNullOrWhiteSpace(totp))
            {
                throw new MethodException(ErrorCodes.SecondFactorRequired, "Second factor required: send totp, a code from your authenticator app or a recovery code.");
            }

            if (!await twoFactor.VerifyAsync(account, totp, context.CancellationToken))
            {
                // A wrong second factor counts like a wrong password, so six digits cannot be brute-forced either.
                throttle.Failed(key, address);
                Log.SignInFailed(logger, userId);
                var wrong = ErrorTable.InvalidCredentials();
                throw new MethodException(wrong.Code, wrong.Value);
            }
        }

        throttle.Succeeded(key);
        return account;
    }

    private async Task<LoginResult> SignInAsync(Account account, MethodContext context)
    {
        // A new session on every sign-in: the session the client came with (if any) ends, never gains a user.
        var presented = await sessions.LoadAsync(context.Caller, context.CancellationToken);
        if (presented.Session is { } previous)
        {
            await sessions.EndAsync(context.Caller, previous, context.CancellationToken);
        }

        var session = await sessions.CreateAsync(context.Caller, account.UserId, context.CancellationToken);
        Log.SignedIn(logger, account.UserId);
        return new LoginResult(session.Id, session.ExpiresAt.ToUnixTimeMilliseconds() / 1000.0, account.UserId, session.Record.SigningKey);
    }

    /// <summary>
    /// The account fields of a create or update call. Fields the server keeps (the verified address, anything under
    /// <c>_tessera</c>) cannot be set by a client: 1003.
    /// </summary>
    private static JsonObject FieldsOf(JsonElement parameters)
    {
        var fields = new JsonObject();
        if (parameters.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in parameters.EnumerateObject())
            {
                if (NotFields.Contains(property.Name))
                {
                    continue;
                }

                if (property.Name == AccountRecoveryMethods.VerifiedField || property.Name.StartsWith(ServerFieldPrefix, StringComparison.Ordinal))
                {
                    var error = ErrorTable.InvalidParameters([$"'{property.Name}' is set by the server, not by clients"]);
                    throw new MethodException(error.Code, error.Value);
                }

                fields[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        return fields;
    }
}

internal sealed record LoginResult(
    string SessionId,
    double Expires,
    string UserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Key);

internal sealed record LogoutResult(bool Authenticated);
