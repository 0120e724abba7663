using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Auth.Accounts;
using Tessera.Auth.Sessions;
using Tessera.Auth.Tokens;
using Tessera.Errors;

namespace Tessera.Auth;

/// <summary>
/// Applies a method's <see cref="AccessRequirement"/> to a call, identically on every wire and for each batch entry:
/// API token, session (loading it, checking its signature, creating an anonymous one), account, roles and ASP.NET Core
/// authorization policies.
/// </summary>
internal sealed class CallAuthorizer(IServiceProvider services) : ICallAuthorizer
{
    public const string ApiTokenHeader = "X-Api-Token";
    public const string ApiTokenCookie = "AuthToken";

    private readonly SessionManager? _sessions = services.GetService<SessionManager>();
    private readonly AccountService? _accounts = services.GetService<AccountService>();
    private readonly IApiTokenValidator _tokens = services.GetRequiredService<IApiTokenValidator>();
    private readonly CrossSiteGuard _crossSite = services.GetRequiredService<CrossSiteGuard>();
    private readonly BearerAuthenticator? _bearer = services.GetService<BearerAuthenticator>();

    public async ValueTask<MethodError?> AuthorizeAsync(AccessRequirement access, MethodContext context)
    {
        if (access.ApiToken && !await HasValidTokenAsync(context))
        {
            return ErrorTable.AccessDenied();
        }

        if (access.Schemes.Count > 0)
        {
            return await AuthenticateBySchemeAsync(access, context);
        }

        if (access.Session == SessionUse.None || _sessions is null || _accounts is null)
        {
            return null;
        }

        var caller = context.Caller;
        var load = access.Session == SessionUse.Anonymous
            ? await _sessions.LoadOrCreateAnonymousAsync(caller, context.CancellationToken)
            : await _sessions.LoadAsync(caller, context.CancellationToken);
        if (load.Error is { } refused)
        {
            return refused;
        }

        // The call works on its own copy of the session: parallel calls of one request each keep their versions.
        var session = caller.SessionForCall();
        context.Session = session;
        if (session?.UserId is { } userId)
        {
            context.Account = caller.CachedAccount(userId) ?? await _accounts.FindAsync(userId, context.CancellationToken);
            if (context.Account is null || session.Record.CreatedAt < context.Account.Record.SessionsValidAfter)
            {
                // The account was deleted, or all its sessions were ended: this one dies too.
                await _sessions.EndAsync(caller, session, context.CancellationToken);
                context.Session = null;
                context.Account = null;
            }
            else
            {
                caller.CacheAccount(context.Account);
            }
        }
        else if (session is null && _bearer is not null && BearerAuthenticator.TokenOf(caller) is { } token)
        {
            // No session presented: an access token authenticates the call instead (the account, without a session).
            context.Account = await BearerAccountAsync(_bearer, token, context);
            if (context.Account is null)
            {
                return ErrorTable.NotAuthorized();
            }
        }

        if (access.Session == SessionUse.User && context.Account is null)
        {
            return ErrorTable.NotAuthorized();
        }

        return await HasRolesAndPoliciesAsync(access, context, schemeUser: null) ? null : ErrorTable.NotAuthorized();
    }

    // Its own method: a lambda capturing the token in AuthorizeAsync allocated its closure on every call, bearer or not.
    private static Task<Account?> BearerAccountAsync(BearerAuthenticator bearer, string token, MethodContext context)
    {
        var cancellationToken = context.CancellationToken;
        return context.Caller.BearerAccountOnceAsync(() => bearer.AuthenticateAsync(token, cancellationToken));
    }

    private async ValueTask<bool> HasValidTokenAsync(MethodContext context)
    {
        var caller = context.Caller;
        var token = caller.ApiToken;
        // A token in a cookie travels on forged requests like a session cookie does, and is refused on them the same way.
        return token.Length > 0 && !(caller.ApiTokenFromCookie && !_crossSite.Allows(caller.Http.Request, sessionId: null))
            && await _tokens.ValidateAsync(token, context);
    }

    /// <summary>
    /// <c>[Authorize(AuthenticationSchemes = "...")]</c>: the first of the named ASP.NET Core schemes that
    /// authenticates the request (once per request, however many calls ask) supplies the caller; its user id
    /// (<c>sub</c>, name identifier or name) finds the Tessera account when there is one.
    /// </summary>
    private async ValueTask<MethodError?> AuthenticateBySchemeAsync(AccessRequirement access, MethodContext context)
    {
        var caller = context.Caller;
        foreach (var scheme in access.Schemes)
        {
            var result = await caller.SchemeOnceAsync(scheme, () => caller.Http.AuthenticateAsync(scheme));
            if (!result.Succeeded || result.Principal is not { } principal)
            {
                continue;
            }

            context.User = principal;
            if (_accounts is not null && AccountPrincipal.UserIdOf(principal) is { } userId)
            {
                context.Account = caller.CachedAccount(userId) ?? await _accounts.FindAsync(userId, context.CancellationToken);
            }

            return await HasRolesAndPoliciesAsync(access, context, principal) ? null : ErrorTable.NotAuthorized();
        }

        return ErrorTable.NotAuthorized();
    }

    /// <summary>
    /// Roles come from the scheme's principal when a scheme authenticated the call, else from the account (no
    /// principal is built for that: most calls have no roles or policies to check). Policies see the call's own
    /// principal: HttpContext.User is shared by a batch and never written by a call.
    /// </summary>
    private static async ValueTask<bool> HasRolesAndPoliciesAsync(AccessRequirement access, MethodContext context, ClaimsPrincipal? schemeUser)
    {
        var account = context.Account;
        foreach (var anyOf in access.RoleSets)
        {
            if (!anyOf.Any(role => schemeUser?.IsInRole(role) ?? account?.IsInRole(role) ?? false))
            {
                return false;
            }
        }

        if (access.Policies.Count == 0)
        {
            return true;
        }

        if (context.User is not { } principal)
        {
            return false;
        }

        var authorization = context.Services.GetRequiredService<IAuthorizationService>();
        foreach (var policy in access.Policies)
        {
            if (!(await authorization.AuthorizeAsync(principal, context, policy)).Succeeded)
            {
                return false;
            }
        }

        return true;
    }
}
