using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Tessera.Dispatch.Binding;

namespace Tessera.Dispatch;

/// <summary>The two serializer configurations, built once: one reads parameters, one writes results.</summary>
internal sealed class TesseraJson
{
    public TesseraJson(IOptions<TesseraOptions> options)
    {
        var naming = options.Value.ResultNaming switch
        {
            ResultNaming.CamelCase => JsonNamingPolicy.CamelCase,
            ResultNaming.AsDeclared => null,
            _ => JsonNamingPolicy.SnakeCaseLower,
        };

        Results = new JsonSerializerOptions
        {
            PropertyNamingPolicy = naming,
            // The default encoder escapes every non-ASCII character: TotoClient-JS signs character codes masked to
            // one byte, so the wire must be ASCII-only.
            Encoder = JavaScriptEncoder.Default,
            TypeInfoResolver = WithScalars(),
            Converters = { new JsonStringEnumConverter(naming) },
        };
        Results.MakeReadOnly();

        Parameters = new JsonSerializerOptions
        {
            PropertyNamingPolicy = naming,
            PropertyNameCaseInsensitive = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            MaxDepth = options.Value.MaxJsonDepth,
            TypeInfoResolver = WithScalars(),
            Converters = { new LenientBooleanConverter(), new JsonStringEnumConverter(naming) },
        };
        Parameters.MakeReadOnly();

        // For JSON Schema: the wire's names and enums, without the lenient converters that have no schema.
        Schemas = new JsonSerializerOptions
        {
            PropertyNamingPolicy = naming,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Converters = { new JsonStringEnumConverter(naming) },
        };
        Schemas.MakeReadOnly();

        // Duplicate member names are refused on every wire: readers disagree on which one wins, so none may.
        DocumentOptions = new JsonDocumentOptions { MaxDepth = options.Value.MaxJsonDepth, AllowDuplicateProperties = false };
    }

    /// <summary>Scalars from the generated context (<see cref="ScalarJsonContext"/>), everything else by reflection.</summary>
    private static IJsonTypeInfoResolver WithScalars() =>
        JsonTypeInfoResolver.Combine(ScalarJsonContext.Default, new DefaultJsonTypeInfoResolver());

    public JsonSerializerOptions Results { get; }

    public JsonSerializerOptions Parameters { get; }

    public JsonSerializerOptions Schemas { get; }

    public JsonDocumentOptions DocumentOptions { get; }

    public JsonTypeInfo ResultInfo(Type type) => Results.GetTypeInfo(type);

    public JsonTypeInfo ParameterInfo(Type type) => Parameters.GetTypeInfo(type);
}
