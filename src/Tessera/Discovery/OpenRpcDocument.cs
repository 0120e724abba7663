using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Microsoft.Extensions.Options;
using Tessera.Dispatch;
using Tessera.Serialization;

namespace Tessera.Discovery;

/// <summary>
/// The service described as an OpenRPC 1.3 document, generated from the registry once, on first request: every
/// method with its parameters and result as JSON Schema (from the C# types, with the wire's names, and DataAnnotations as
/// keywords), required flags, descriptions, declared errors and its access rule (<c>x-tessera-access</c>); and the
/// events the service declares it publishes (<c>x-tessera-events</c>, from <see cref="PublishesAttribute"/>).
/// </summary>
internal sealed class OpenRpcDocument
{
    private static readonly JsonSchemaExporterOptions Exporter = SchemaKeywords.Exporter;

    private readonly Lazy<JsonElement> _document;

    public OpenRpcDocument(MethodRegistry registry, TesseraJson json, IOptions<TesseraOptions> options)
    {
        Name = string.IsNullOrWhiteSpace(options.Value.ServiceName)
            ? Assembly.GetEntryAssembly()?.GetName().Name ?? "tessera"
            : options.Value.ServiceName;
        Version = Assembly.GetEntryAssembly()?.GetName().Version?.ToString() ?? "1.0.0";
        _document = new Lazy<JsonElement>(() => JsonSerializer.SerializeToElement(Build(registry, json), CommonJsonContext.Default.JsonObject));
        Methods = registry.Methods.Where(m => !m.IsProtocolMethod).OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
    }

    public string Name { get; }

    public string Version { get; }

    /// <summary>The methods a client may call, protocol methods left out.</summary>
    public IReadOnlyList<MethodDescriptor> Methods { get; }

    public JsonElement Document => _document.Value;

    private JsonObject Build(MethodRegistry registry, TesseraJson json) => new()
    {
        ["openrpc"] = "1.3.2",
        ["info"] = new JsonObject { ["title"] = Name, ["version"] = Version },
        ["methods"] = new JsonArray([.. Methods.Select(method => Describe(method, json))]),
        ["x-tessera-events"] = DescribeEvents(json),
    };

    private JsonArray DescribeEvents(TesseraJson json) => new([.. Methods
        .SelectMany(method => method.Method.GetCustomAttributes(typeof(PublishesAttribute), inherit: true).Cast<PublishesAttribute>()
            .Select(published => (method.Name, published)))
        .GroupBy(pair => pair.published.Topic, StringComparer.Ordinal)
        .OrderBy(group => group.Key, StringComparer.Ordinal)
        .Select(group =>
        {
            var topic = new JsonObject
            {
                ["topic"] = group.Key,
                ["published_by"] = new JsonArray([.. group.Select(pair => (JsonNode)JsonValue.Create(pair.Name)!)]),
            };
            if (group.Select(pair => pair.published.PayloadType).FirstOrDefault(type => type is not null) is { } payload)
            {
                topic["schema"] = json.Schemas.GetJsonSchemaAsNode(payload, Exporter);
            }

            return (JsonNode)topic;
        })]);

    private static JsonObject Describe(MethodDescriptor method, TesseraJson json)
    {
        var description = new JsonObject { ["name"] = method.Name };
        if (method.Description is { } text)
        {
            description["description"] = text;
        }

        description["params"] = new JsonArray([.. method.WireParameters.Select(parameter =>
        {
            var entry = new JsonObject
            {
                ["name"] = parameter.WireName,
                ["required"] = !parameter.IsOptional,
                ["schema"] = MethodSchemas.Parameter(parameter, json),
            };
            if (parameter.Description is { } about)
            {
                entry["description"] = about;
            }

            return (JsonNode)entry;
        })]);
        description["result"] = new JsonObject
        {
            ["name"] = "result",
            ["schema"] = MethodSchemas.Result(method, json),
        };
        if (method.DeclaredErrors.Count > 0)
        {
            description["errors"] = new JsonArray([.. method.DeclaredErrors.Select(error =>
                (JsonNode)new JsonObject { ["code"] = error.Code, ["message"] = error.Message })]);
        }

        description["x-tessera-access"] = AccessDescription.Describe(method.Access);
        if (method.AllowsGet)
        {
            description["x-tessera-allow-get"] = true;
        }

        description["paramStructure"] = "either";
        return description;
    }
}
