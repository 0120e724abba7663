using Microsoft.AspNetCore.Authentication;

namespace Tessera;

/// <summary>Options of the <c>Basic</c> authentication scheme that <c>AddBasicAuthentication()</c> registers.</summary>
public sealed class BasicAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The realm named in the <c>WWW-Authenticate</c> challenge.</summary>
    public string Realm { get; set; } = "tessera";
}
