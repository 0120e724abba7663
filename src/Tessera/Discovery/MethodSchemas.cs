using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;

namespace Tessera.Discovery;

/// <summary>JSON Schema of a method's parameters and result, shared by the OpenRPC and OpenAPI documents.</summary>
internal static class MethodSchemas
{
    /// <summary>The parameter's type as JSON Schema, with its DataAnnotations as keywords.</summary>
    public static JsonNode Parameter(ParameterDescriptor parameter, TesseraJson json)
    {
        var schema = json.Schemas.GetJsonSchemaAsNode(parameter.Type, SchemaKeywords.Exporter);
        if (schema is JsonObject rules)
        {
            SchemaKeywords.Apply(rules, parameter.Validators);
        }

        return schema;
    }

    /// <summary>The result's type as JSON Schema; <c>{"type": "null"}</c> for a method that answers nothing.</summary>
    public static JsonNode Result(MethodDescriptor method, TesseraJson json) =>
        method.ResultTypeInfo is { } result
            ? json.Schemas.GetJsonSchemaAsNode(result.Type, SchemaKeywords.Exporter)
            : new JsonObject { ["type"] = "null" };
}
