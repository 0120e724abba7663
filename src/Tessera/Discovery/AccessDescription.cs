using System.Text.Json.Nodes;
using Tessera.Auth;

namespace Tessera.Discovery;

/// <summary>A method's access rule for its description: a short summary (<c>public</c>, <c>signed-in</c>,
/// <c>roles: admin</c>, <c>api-token</c>) and the details a client can act on.</summary>
internal static class AccessDescription
{
    public static string Summary(AccessRequirement access)
    {
        var parts = new List<string>();
        if (access.RoleSets.Count > 0)
        {
            parts.Add("roles: " + string.Join(" and ", access.RoleSets.Select(set => string.Join("|", set))));
        }
        else if (access.Policies.Count > 0)
        {
            parts.Add("policy: " + string.Join(", ", access.Policies));
        }
        else if (access.Session == SessionUse.User)
        {
            parts.Add("signed-in");
        }

        if (access.ApiToken)
        {
            parts.Add("api-token");
        }

        return parts.Count == 0 ? "public" : string.Join(", ", parts);
    }

    public static JsonObject Describe(AccessRequirement access)
    {
        var node = new JsonObject
        {
            ["summary"] = Summary(access),
            ["session"] = access.Session switch
            {
                SessionUse.User => "required",
                SessionUse.Optional or SessionUse.Anonymous => "optional",
                _ => "none",
            },
            ["api_token"] = access.ApiToken,
        };
        if (access.RoleSets.Count > 0)
        {
            node["roles"] = new JsonArray([.. access.RoleSets.Select(set => (JsonNode)new JsonArray([.. set.Select(role => (JsonNode)JsonValue.Create(role)!)]))]);
        }

        if (access.Policies.Count > 0)
        {
            node["policies"] = new JsonArray([.. access.Policies.Select(policy => (JsonNode)JsonValue.Create(policy)!)]);
        }

        if (access.Schemes.Count > 0)
        {
            node["schemes"] = new JsonArray([.. access.Schemes.Select(scheme => (JsonNode)JsonValue.Create(scheme)!)]);
        }

        return node;
    }
}
