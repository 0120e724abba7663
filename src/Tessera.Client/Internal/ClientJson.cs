using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Tessera.Client;

/// <summary>The serializer settings the client starts with: the server's snake_case names, and metadata generated at
/// compile time for the types every service uses, so the common calls need no reflection (and work under Native AOT).</summary>
internal static class ClientJson
{
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reached only where reflection-based serialization is enabled; the feature switch removes it under trimming and AOT.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reached only where reflection-based serialization is enabled; the feature switch removes it under trimming and AOT.")]
    public static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.TypeInfoResolverChain.Add(ClientJsonContext.Default);

        // Reflection covers the user's own types where it is enabled; under Native AOT this resolver is empty and the
        // user adds a JsonSerializerContext of their own.
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            options.TypeInfoResolverChain.Add(JsonSerializerOptions.Default.TypeInfoResolver!);
        }

        return options;
    }

    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}

[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonElement[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(float))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(DateTime))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(byte[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(double[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(TesseraEvent))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
