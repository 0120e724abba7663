using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Tessera.Dispatch.Binding;
using Tessera.Serialization;

namespace Tessera.Dispatch;

/// <summary>The two serializer configurations, built once: one reads parameters, one writes results.</summary>
internal sealed class TesseraJson
{
    public TesseraJson(IOptions<TesseraOptions> options)
        : this(options, [])
    {
    }

    public TesseraJson(IOptions<TesseraOptions> options, IEnumerable<JsonTypes> registered)
    {
        var resolver = JsonResolvers.Chain(registered);
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
            TypeInfoResolver = resolver,
        };
        AddEnumNames(Results, naming);
        Results.MakeReadOnly();

        Parameters = new JsonSerializerOptions
        {
            PropertyNamingPolicy = naming,
            PropertyNameCaseInsensitive = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            MaxDepth = options.Value.MaxJsonDepth,
            TypeInfoResolver = resolver,
            Converters = { new LenientBooleanConverter() },
        };
        AddEnumNames(Parameters, naming);
        Parameters.MakeReadOnly();

        // For JSON Schema: the wire's names and enums, without the lenient converters that have no schema.
        Schemas = new JsonSerializerOptions
        {
            PropertyNamingPolicy = naming,
            TypeInfoResolver = resolver,
        };
        AddEnumNames(Schemas, naming);
        Schemas.MakeReadOnly();

        // Duplicate member names are refused on every wire: readers disagree on which one wins, so none may.
        DocumentOptions = new JsonDocumentOptions { MaxDepth = options.Value.MaxJsonDepth, AllowDuplicateProperties = false };
    }

    /// <summary>
    /// Enums travel by name, in the service's naming. The converter for every enum makes its generic converters at run
    /// time, which Native AOT cannot: there an enum's own <c>[JsonConverter(typeof(JsonStringEnumConverter&lt;T&gt;))]</c>
    /// or its context's <c>UseStringEnumConverter</c> says how it travels (docs/deployment.md).
    /// </summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Added only where code is compiled at run time.")]
    private static void AddEnumNames(JsonSerializerOptions options, JsonNamingPolicy? naming)
    {
        if (RuntimeFeature.IsDynamicCodeSupported)
        {
            options.Converters.Add(new JsonStringEnumConverter(naming));
        }
    }

    public JsonSerializerOptions Results { get; }

    public JsonSerializerOptions Parameters { get; }

    public JsonSerializerOptions Schemas { get; }

    public JsonDocumentOptions DocumentOptions { get; }

    public JsonTypeInfo ResultInfo(Type type) => Results.GetTypeInfo(type);

    public JsonTypeInfo<T> ResultInfo<T>() => (JsonTypeInfo<T>)Results.GetTypeInfo(typeof(T));

    public JsonTypeInfo ParameterInfo(Type type) => Parameters.GetTypeInfo(type);
}
