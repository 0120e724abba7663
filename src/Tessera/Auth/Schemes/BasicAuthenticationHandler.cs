using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Auth.Accounts;
using Tessera.Auth.Throttling;
using Tessera.Errors;

namespace Tessera.Auth.Schemes;

/// <summary>
/// HTTP Basic authentication (RFC 7617) against Tessera's accounts, as Atila and cyclone offered: the user id and
/// password of every request, checked like a sign-in (the same hashing, throttling and 1014 waits). Refused over plain
/// HTTP, where the password would cross the network readable. Name it with
/// <c>[Authorize(AuthenticationSchemes = "Basic")]</c>; register it with <c>AddBasicAuthentication()</c>.
/// </summary>
internal sealed class BasicAuthenticationHandler(
    IOptionsMonitor<BasicAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountService accounts,
    LoginThrottle throttle)
    : AuthenticationHandler<BasicAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";
    private const string Prefix = "Basic ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!Request.IsHttps)
        {
            return AuthenticateResult.Fail("Basic authentication is refused over plain HTTP: the password would travel readable.");
        }

        string userId, password;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[Prefix.Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return AuthenticateResult.Fail("Malformed Basic credentials.");
            }

            (userId, password) = (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("Malformed Basic credentials.");
        }

        var key = AccountPolicy.Normalize(userId) ?? string.Empty;
        var address = ClientAddress.Of(Context);
        if (throttle.RetryAfter(key, address) is not null)
        {
            return AuthenticateResult.Fail("Too many failed sign-ins; wait before trying again.");
        }

        Account? account;
        try
        {
            account = await accounts.VerifyAsync(userId, password, address, Context.RequestAborted);
        }
        catch (TooManyRequestsException tooMany)
        {
            Response.Headers.RetryAfter = ErrorTable.RetryAfterSeconds(tooMany.RetryAfter).ToString(CultureInfo.InvariantCulture);
            return AuthenticateResult.Fail("Too many sign-ins waiting from this address; wait before trying again.");
        }

        if (account is null || TwoFactor.IsEnabled(account))
        {
            // An account with two-factor sign-in on cannot use a password alone, here or anywhere.
            throttle.Failed(key, address);
            return AuthenticateResult.Fail("Invalid user id or password.");
        }

        throttle.Succeeded(key);
        var principal = AccountPrincipal.Of(account);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"Basic realm=\"{Options.Realm}\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }
}
