using Tessera.Wires.Formats;

namespace Tessera.Wires.Http;

/// <summary>The body formats a request can use, decided from its Content-Type.</summary>
internal enum BodyKind
{
    Json,
    Form,
    Unsupported,
}

internal static class BodyKinds
{
    /// <summary>A missing Content-Type means JSON, as Toto's clients assume.</summary>
    public static BodyKind Of(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return BodyKind.Json;
        }

        var type = MediaTypes.Of(contentType);
        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            return BodyKind.Json;
        }

        if (type.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || type.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Form;
        }

        return BodyKind.Unsupported;
    }
}
