using System.Reflection;
using Microsoft.AspNetCore.Authorization;

namespace Tessera.Auth;

/// <summary>How much of a session a method needs.</summary>
internal enum SessionUse
{
    None,
    Optional,
    Anonymous,
    User,
}

/// <summary>What a method requires of its caller, read from its attributes (and its class's) once at start-up.</summary>
internal sealed record AccessRequirement(
    SessionUse Session,
    IReadOnlyList<IReadOnlyList<string>> RoleSets,
    IReadOnlyList<string> Policies,
    bool ApiToken,
    IReadOnlyList<string> Schemes)
{
    public static readonly AccessRequirement None = new(SessionUse.None, [], [], ApiToken: false, Schemes: []);

    public bool IsNone => Session == SessionUse.None && !ApiToken;

    public static AccessRequirement For(MethodInfo method, bool injectsSession)
    {
        var attributes = method.GetCustomAttributes(inherit: true)
            .Concat(method.DeclaringType?.GetCustomAttributes(inherit: true) ?? [])
            .ToArray();
        var roles = attributes.OfType<RequiresRoleAttribute>().Select(a => a.Roles).ToList();
        var authorize = attributes.OfType<AuthorizeAttribute>().ToArray();
        roles.AddRange(authorize.Where(a => !string.IsNullOrWhiteSpace(a.Roles))
            .Select(a => (IReadOnlyList<string>)a.Roles!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        var policies = authorize.Where(a => !string.IsNullOrWhiteSpace(a.Policy)).Select(a => a.Policy!).ToArray();
        // [Authorize(AuthenticationSchemes = "Basic,Bearer")]: ASP.NET Core's own handlers authenticate the call.
        var schemes = authorize.Where(a => !string.IsNullOrWhiteSpace(a.AuthenticationSchemes))
            .SelectMany(a => a.AuthenticationSchemes!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        var session = SessionUse.None;
        if (injectsSession || attributes.OfType<OptionallyAuthenticatedAttribute>().Any())
        {
            session = SessionUse.Optional;
        }

        if (attributes.OfType<AnonymousSessionAttribute>().Any())
        {
            session = SessionUse.Anonymous;
        }

        if (attributes.OfType<AuthenticatedAttribute>().Any() || authorize.Length > 0 || roles.Count > 0)
        {
            session = SessionUse.User;
        }

        var apiToken = attributes.OfType<ApiTokenAttribute>().Any();
        return session == SessionUse.None && !apiToken ? None : new AccessRequirement(session, roles, policies, apiToken, schemes);
    }
}
