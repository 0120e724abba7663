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
        var roles = Attributes<RequiresRoleAttribute>(method).Select(a => a.Roles).ToList();
        var authorize = Attributes<AuthorizeAttribute>(method);
        roles.AddRange(authorize.Where(a => !string.IsNullOrWhiteSpace(a.Roles))
            .Select(a => (IReadOnlyList<string>)a.Roles!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        var policies = authorize.Where(a => !string.IsNullOrWhiteSpace(a.Policy)).Select(a => a.Policy!).ToArray();
        // [Authorize(AuthenticationSchemes = "Basic,Bearer")]: ASP.NET Core's own handlers authenticate the call.
        var schemes = authorize.Where(a => !string.IsNullOrWhiteSpace(a.AuthenticationSchemes))
            .SelectMany(a => a.AuthenticationSchemes!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        var session = SessionUse.None;
        if (injectsSession || IsMarked<OptionallyAuthenticatedAttribute>(method))
        {
            session = SessionUse.Optional;
        }

        if (IsMarked<AnonymousSessionAttribute>(method))
        {
            session = SessionUse.Anonymous;
        }

        if (IsMarked<AuthenticatedAttribute>(method) || authorize.Length > 0 || roles.Count > 0)
        {
            session = SessionUse.User;
        }

        var apiToken = IsMarked<ApiTokenAttribute>(method);
        return session == SessionUse.None && !apiToken ? None : new AccessRequirement(session, roles, policies, apiToken, schemes);
    }

    // Asked for by type, not read with GetCustomAttributes() and filtered: that creates every attribute of the method
    // and of its class, compiler-generated ones too, and an async method's attribute names its state machine, a type the
    // runtime then finds by name. That was 7 of the registry's 30 ms at HelloService's start-up (1.5 ms now).
    private static T[] Attributes<T>(MethodInfo method)
        where T : Attribute =>
        [.. method.GetCustomAttributes<T>(inherit: true), .. method.DeclaringType?.GetCustomAttributes<T>(inherit: true) ?? []];

    private static bool IsMarked<T>(MethodInfo method)
        where T : Attribute =>
        method.IsDefined(typeof(T), inherit: true) || method.DeclaringType?.IsDefined(typeof(T), inherit: true) == true;
}
