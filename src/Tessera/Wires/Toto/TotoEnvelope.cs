using System.Text.Json;
using Tessera.Errors;

namespace Tessera.Wires.Toto;

/// <summary>One call read from a Toto envelope object (a whole body, or one batch entry).</summary>
internal readonly record struct EnvelopeCall(string? MethodName, JsonElement Parameters, MethodError? Error);

/// <summary>The Toto envelope's rules for naming a method and finding its parameters (docs/protocol.md section 1).</summary>
internal static class TotoEnvelope
{
    /// <summary>
    /// Reads <c>{"method": "a.b", "parameters": {...}}</c>. A method named by the URL path wins over the body's.
    /// When <c>parameters</c> is missing, null or an empty object, the whole body is the parameters, as in Toto.
    /// </summary>
    public static EnvelopeCall Read(JsonElement call, string? pathMethod)
    {
        var name = pathMethod;
        if (name is null && call.TryGetProperty("method"u8, out var method) && method.ValueKind == JsonValueKind.String)
        {
            name = method.GetString();
        }

        if (!call.TryGetProperty("parameters"u8, out var parameters))
        {
            return new EnvelopeCall(name, call, null);
        }

        return parameters.ValueKind switch
        {
            JsonValueKind.Object when HasProperties(parameters) => new EnvelopeCall(name, parameters, null),
            JsonValueKind.Object or JsonValueKind.Null => new EnvelopeCall(name, call, null),
            JsonValueKind.Array => new EnvelopeCall(name, parameters, null),
            _ => new EnvelopeCall(name, default, ErrorTable.Malformed("'parameters' must be an object or an array.")),
        };
    }

    /// <summary>The method a URL path names: <c>a/b/c</c> and <c>a.b.c</c> are both <c>a.b.c</c>.</summary>
    public static string? MethodFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var afterSlashes = path.AsSpan().TrimStart('/');
        var start = path.Length - afterSlashes.Length;
        var length = afterSlashes.TrimEnd('/').Length;
        if (length == 0)
        {
            return null;
        }

        // One string for the name, where copying the trimmed path and then replacing made two on every URL-style call.
        return string.Create(length, (path, start), static (name, source) =>
            source.path.AsSpan(source.start, name.Length).Replace(name, '/', '.'));
    }

    private static bool HasProperties(JsonElement element)
    {
        using var properties = element.EnumerateObject();
        return properties.MoveNext();
    }
}
