using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Tessera.Buffers;

namespace Tessera.Wires.Http;

/// <summary>
/// Turns query-string or form fields into a JSON object of strings (a repeated key becomes an array of strings), so
/// they bind through the same binder as JSON bodies.
/// </summary>
internal static class StringValuesJson
{
    public static JsonDocument? ToDocument(IEnumerable<KeyValuePair<string, StringValues>> fields, PooledBufferWriter buffer)
    {
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var any = false;
            writer.WriteStartObject();
            foreach (var (key, values) in fields)
            {
                any = true;
                if (values.Count == 1)
                {
                    writer.WriteString(key, values[0]);
                    continue;
                }

                writer.WriteStartArray(key);
                foreach (var value in values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            if (!any)
            {
                return null;
            }
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }
}
