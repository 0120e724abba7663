namespace Tessera;

/// <summary>The method needs a signed-in user; without one it answers 1004. On a class, it applies to every method.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = true)]
public sealed class AuthenticatedAttribute : Attribute;

/// <summary>The method loads the caller's session when there is one, signed in or not, and runs either way.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = true)]
public sealed class OptionallyAuthenticatedAttribute : Attribute;

/// <summary>The method needs a session: an anonymous one is created when the caller has none.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = true)]
public sealed class AnonymousSessionAttribute : Attribute;

/// <summary>
/// The method needs a signed-in user holding one of <see cref="Roles"/>. Several attributes must all be satisfied.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class RequiresRoleAttribute(params string[] roles) : Attribute
{
    /// <summary>Any one of these roles satisfies the attribute.</summary>
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>
/// The method needs a valid API token in the <c>X-Api-Token</c> header or the <c>AuthToken</c> cookie (gemstone's
/// private methods), checked by the registered <see cref="IApiTokenValidator"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = true)]
public sealed class ApiTokenAttribute : Attribute;
