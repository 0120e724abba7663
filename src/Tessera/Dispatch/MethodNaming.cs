using System.Text;
using System.Text.Json;

namespace Tessera.Dispatch;

/// <summary>How C# names become wire names, and which wire names are allowed.</summary>
internal static class MethodNaming
{
    private static readonly string[] DroppedClassSuffixes = ["Methods", "Service"];

    // First path segments that belong to other endpoints (docs/protocol.md), plus the prefixes kept for the protocols.
    private static readonly string[] ReservedFirstSegments = ["api", "rpc2", "events", "ws", "_tessera", "rpc", "system"];

    public static string ToSnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    public static string ConventionalName(Type declaringType, string methodName)
    {
        var className = declaringType.Name;
        var backtick = className.IndexOf('`', StringComparison.Ordinal);
        if (backtick >= 0)
        {
            className = className[..backtick];
        }

        foreach (var suffix in DroppedClassSuffixes)
        {
            if (className.Length > suffix.Length && className.EndsWith(suffix, StringComparison.Ordinal))
            {
                className = className[..^suffix.Length];
                break;
            }
        }

        // GetUserAsync is get_user on the wire, as ASP.NET Core MVC names actions.
        if (methodName.Length > "Async".Length && methodName.EndsWith("Async", StringComparison.Ordinal))
        {
            methodName = methodName[..^"Async".Length];
        }

        return ToSnakeCase(className) + "." + ToSnakeCase(methodName);
    }

    /// <summary>Letters, digits and underscores in dot-separated, non-empty segments.</summary>
    public static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name[0] == '.' || name[^1] == '.')
        {
            return false;
        }

        var previousWasDot = false;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (previousWasDot)
                {
                    return false;
                }

                previousWasDot = true;
                continue;
            }

            previousWasDot = false;
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The reserved first segment the name starts with, or <see langword="null"/>.</summary>
    public static string? ReservedPrefixOf(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var first = dot < 0 ? name : name[..dot];
        foreach (var reserved in ReservedFirstSegments)
        {
            if (string.Equals(first, reserved, StringComparison.OrdinalIgnoreCase))
            {
                return reserved;
            }
        }

        return null;
    }

    /// <summary>A readable C# signature for start-up messages: <c>Greeting.Hello(string name)</c>.</summary>
    public static string Describe(System.Reflection.MethodInfo method)
    {
        var builder = new StringBuilder();
        builder.Append(method.DeclaringType?.Name ?? "<delegate>").Append('.').Append(method.Name).Append('(');
        var parameters = method.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            builder.Append(TypeNames.Readable(parameters[i].ParameterType)).Append(' ').Append(parameters[i].Name);
        }

        return builder.Append(')').ToString();
    }
}
