using System.Security.Claims;

namespace Tessera.Auth.Accounts;

/// <summary>An account as ASP.NET Core sees a user: its id as name and name identifier, and its roles.</summary>
internal static class AccountPrincipal
{
    public static ClaimsPrincipal Of(Account account)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, account.UserId), new(ClaimTypes.Name, account.UserId) };
        claims.AddRange(account.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType: "Tessera"));
    }

    /// <summary>The user id a principal from any scheme names: <c>sub</c>, else the name identifier, else the name.</summary>
    public static string? UserIdOf(ClaimsPrincipal principal) =>
        principal.FindFirst("sub")?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? principal.Identity?.Name;
}
