using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Tessera.Discovery;

/// <summary>
/// DataAnnotations as JSON Schema keywords, so a generated client or form knows the rules the server enforces:
/// lengths, ranges, patterns and formats, on parameters and on the properties of records.
/// </summary>
internal static class SchemaKeywords
{
    public static JsonSchemaExporterOptions Exporter { get; } = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = (context, schema) =>
        {
            if (context.PropertyInfo?.AttributeProvider is { } provider && schema is JsonObject node)
            {
                Apply(node, provider.GetCustomAttributes(typeof(ValidationAttribute), inherit: true).Cast<ValidationAttribute>());
            }

            return schema;
        },
    };

    public static void Apply(JsonObject schema, IEnumerable<ValidationAttribute> rules)
    {
        var isArray = IsType(schema, "array");
        foreach (var rule in rules)
        {
            switch (rule)
            {
                case StringLengthAttribute length:
                    schema["maxLength"] = length.MaximumLength;
                    if (length.MinimumLength > 0)
                    {
                        schema["minLength"] = length.MinimumLength;
                    }

                    break;
                case MinLengthAttribute min:
                    schema[isArray ? "minItems" : "minLength"] = min.Length;
                    break;
                case MaxLengthAttribute max when max.Length > 0:
                    schema[isArray ? "maxItems" : "maxLength"] = max.Length;
                    break;
                case LengthAttribute both:
                    schema[isArray ? "minItems" : "minLength"] = both.MinimumLength;
                    schema[isArray ? "maxItems" : "maxLength"] = both.MaximumLength;
                    break;
                case RangeAttribute range when IsNumber(range.Minimum) && IsNumber(range.Maximum):
                    schema[range.MinimumIsExclusive ? "exclusiveMinimum" : "minimum"] = JsonValue.Create(Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
                    schema[range.MaximumIsExclusive ? "exclusiveMaximum" : "maximum"] = JsonValue.Create(Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case RegularExpressionAttribute pattern:
                    schema["pattern"] = pattern.Pattern;
                    break;
                case EmailAddressAttribute:
                    schema["format"] = "email";
                    break;
                case UrlAttribute:
                    schema["format"] = "uri";
                    break;
                case AllowedValuesAttribute allowed:
                    schema["enum"] = new JsonArray([.. allowed.Values.Select(value => JsonValue.Create(value?.ToString()))]);
                    break;
            }
        }
    }

    private static bool IsNumber(object? value) => value is int or long or double or float or decimal or short or byte;

    private static bool IsType(JsonObject schema, string type) => schema["type"] switch
    {
        JsonValue value => value.GetValue<string>() == type,
        JsonArray types => types.Any(t => t?.GetValue<string>() == type),
        _ => false,
    };
}
