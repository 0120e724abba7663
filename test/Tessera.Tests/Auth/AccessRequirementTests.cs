using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Tessera.Auth;

namespace Tessera.Tests.Auth;

/// <summary>What a method requires of its caller, read from its own attributes, its class's and an overridden method's.</summary>
public sealed class AccessRequirementTests
{
    private static AccessRequirement For(Type type, string method, bool injectsSession = false) =>
        AccessRequirement.For(type.GetMethod(method, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)!, injectsSession);

    [Fact]
    public void AMethodWithoutAttributes_RequiresNothing_UnlessItTakesTheSession()
    {
        Assert.Same(AccessRequirement.None, For(typeof(Open), nameof(Open.Plain)));
        Assert.Equal(SessionUse.Optional, For(typeof(Open), nameof(Open.Plain), injectsSession: true).Session);
    }

    [Fact]
    public void MarkersOnTheMethod_SetTheSessionItNeeds_TheStrictestWinning()
    {
        Assert.Equal(SessionUse.Optional, For(typeof(Open), nameof(Open.Optional)).Session);
        Assert.Equal(SessionUse.Anonymous, For(typeof(Open), nameof(Open.Anonymous)).Session);
        Assert.Equal(SessionUse.User, For(typeof(Open), nameof(Open.AnonymousButAuthenticated)).Session);
        var token = For(typeof(Open), nameof(Open.Token));
        Assert.True(token.ApiToken);
        Assert.Equal(SessionUse.None, token.Session);
    }

    [Fact]
    public void AClassAttribute_AppliesToEveryMethod_AndAddsToTheMethodsOwn()
    {
        var access = For(typeof(Guarded), nameof(Guarded.Report));
        Assert.Equal(SessionUse.User, access.Session);
        Assert.True(access.ApiToken);
        // The method's role set first, then the class's; each attribute is one set, all of which must be satisfied.
        Assert.Equal([["auditor"], ["admin", "owner"]], access.RoleSets.Select(set => set.ToArray()).ToArray());
    }

    [Fact]
    public void AuthorizeAttribute_GivesRolesPoliciesAndSchemes_Trimmed_AndSchemesOnce()
    {
        var access = For(typeof(Open), nameof(Open.Authorized));
        Assert.Equal(SessionUse.User, access.Session);
        Assert.Equal([["a", "b"]], access.RoleSets.Select(set => set.ToArray()).ToArray());
        Assert.Equal(["can-read"], access.Policies);
        Assert.Equal(["Basic", "Bearer"], access.Schemes);
    }

    [Fact]
    public void AnOverride_KeepsTheAttributesOfTheMethodItOverrides()
    {
        var access = For(typeof(Derived), nameof(Derived.Run));
        Assert.Equal(SessionUse.User, access.Session);
        Assert.Equal([["ops"]], access.RoleSets.Select(set => set.ToArray()).ToArray());
    }

    public sealed class Open
    {
        public static void Plain()
        {
        }

        [OptionallyAuthenticated]
        public static void Optional()
        {
        }

        [AnonymousSession]
        public static async Task Anonymous() => await Task.Yield();

        [AnonymousSession]
        [Authenticated]
        public static void AnonymousButAuthenticated()
        {
        }

        [ApiToken]
        public static void Token()
        {
        }

        [Authorize(Roles = " a, b ", Policy = "can-read", AuthenticationSchemes = "Basic, Bearer")]
        [Authorize(AuthenticationSchemes = "Bearer")]
        public static void Authorized()
        {
        }
    }

    [RequiresRole("admin", "owner")]
    [ApiToken]
    public sealed class Guarded
    {
        [RequiresRole("auditor")]
        public static async Task<int> Report() => await Task.FromResult(1);
    }

    public abstract class Base
    {
        [RequiresRole("ops")]
        public abstract void Run();
    }

    public sealed class Derived : Base
    {
        public override void Run()
        {
        }
    }
}
