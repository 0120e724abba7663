using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Tessera.Client;

/// <summary>Turns the parameters a caller passed (an object, a dictionary, positional values) into one JSON value.</summary>
internal static class ParameterJson
{
    public static readonly ReadOnlyMemory<byte> Empty = "{}"u8.ToArray();

    public static ReadOnlyMemory<byte>? WithoutReflection(object? parameters) => parameters switch
    {
        null => Empty,
        TesseraParameters built => built.ToJson(),
        JsonElement { ValueKind: JsonValueKind.Object or JsonValueKind.Array } element => JsonSerializer.SerializeToUtf8Bytes(element, ClientJsonContext.Default.JsonElement),
        JsonElement element => throw NotParameters(element.ValueKind.ToString()),
        _ => (ReadOnlyMemory<byte>?)null,
    };

    [RequiresUnreferencedCode("Serializes the parameters' runtime type; use TesseraParameters or a proxy under trimming.")]
    [RequiresDynamicCode("Serializes the parameters' runtime type; use TesseraParameters or a proxy under Native AOT.")]
    public static ReadOnlyMemory<byte> From(object? parameters, JsonSerializerOptions options)
    {
        if (WithoutReflection(parameters) is { } ready)
        {
            return ready;
        }

        if (parameters is string or ValueType)
        {
            throw NotParameters(parameters.GetType().Name);
        }

        // A dictionary is named parameters; any other sequence (object[], List<T>) is positional values.
        var runtimeType = parameters!.GetType();
        var isDictionary = parameters is IDictionary
            || runtimeType.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        var type = parameters is IEnumerable && !isDictionary ? typeof(object[]) : runtimeType;
        var value = type == typeof(object[]) ? ((IEnumerable)parameters).Cast<object?>().ToArray() : parameters;
        return JsonSerializer.SerializeToUtf8Bytes(value, type, options);
    }

    private static ArgumentException NotParameters(string kind) =>
        new($"Parameters are an object, a dictionary or a sequence of positional values, not a {kind}.", "parameters");
}
