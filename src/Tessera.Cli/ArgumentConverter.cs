using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Cli;

/// <summary>
/// Turns command-line arguments into a call's parameters by the method's schema: <c>a=40</c> becomes the number 40
/// when <c>a</c> is an integer and the text "40" when it is a string; objects and arrays are written as JSON
/// (<c>tags=["x","y"]</c>). Bare values (<c>40 2</c>) are taken in the method's parameter order.
/// </summary>
internal static class ArgumentConverter
{
    public static JsonObject Convert(JsonElement method, IReadOnlyList<string> arguments)
    {
        var parameters = ServiceDescription.Parameters(method).ToList();
        var result = new JsonObject();
        var position = 0;
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            string name;
            string text;
            if (equals > 0)
            {
                name = argument[..equals];
                text = argument[(equals + 1)..];
            }
            else
            {
                if (position >= parameters.Count)
                {
                    throw new UsageException($"'{argument}': {method.GetProperty("name").GetString()} takes {parameters.Count} parameter(s).");
                }

                name = parameters[position++].GetProperty("name").GetString()!;
                text = argument;
            }

            var parameter = parameters.FirstOrDefault(p => p.GetProperty("name").GetString() == name);
            if (parameter.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"{method.GetProperty("name").GetString()} has no parameter '{name}' (it takes: "
                    + string.Join(", ", parameters.Select(p => p.GetProperty("name").GetString())) + ").");
            }

            result[name] = Value(name, text, ServiceDescription.TypeOf(parameter.GetProperty("schema")));
        }

        return result;
    }

    private static JsonNode? Value(string name, string text, string type)
    {
        switch (type)
        {
            case "string":
                return JsonValue.Create(text);
            case "integer":
                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer)
                    ? JsonValue.Create(integer)
                    : throw new UsageException($"{name}={text}: {name} is an integer.");
            case "number":
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? JsonValue.Create(number)
                    : throw new UsageException($"{name}={text}: {name} is a number.");
            case "boolean":
                return bool.TryParse(text, out var flag) ? JsonValue.Create(flag) : throw new UsageException($"{name}={text}: {name} is true or false.");
            default:
                try
                {
                    return JsonNode.Parse(text);
                }
                catch (JsonException) when (!type.EndsWith("[]", StringComparison.Ordinal) && type != "object")
                {
                    return JsonValue.Create(text);
                }
                catch (JsonException exception)
                {
                    throw new UsageException($"{name}={text}: {name} is {type}, written as JSON ({exception.Message}).");
                }
        }
    }
}
