using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tessera.Serialization;

/// <summary>
/// The serializer configuration for values Tessera keeps for the service (a session's values): the serializer's
/// defaults, so what was stored before stays readable, with types found through <see cref="JsonResolvers"/>.
/// </summary>
internal sealed class StoredJson(IEnumerable<JsonTypes> registered)
{
    private readonly JsonSerializerOptions _options = Create(registered);

    public JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)_options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions Create(IEnumerable<JsonTypes> registered)
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = JsonResolvers.Chain(registered) };
        options.MakeReadOnly();
        return options;
    }
}
