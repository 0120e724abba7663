using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Tessera.Buffers;

namespace Tessera.Wires.Http;

/// <summary>
/// Turns query-string or form fields into a JSON object of strings (a repeated key becomes an array of strings), so
/// they bind through the same binder as JSON bodies.
/// </summary>
internal static class StringValuesJson
{
    // A query with more fields than this goes through ASP.NET Core's collection, whose look-ups stay linear however
    // many fields a client sends; the check for repeated keys below compares every pair.
    private const int MaxFieldsReadDirectly = 16;

    /// <summary>
    /// The query string as <see cref="ToDocument"/> makes it from <c>Request.Query</c>, read straight from the raw
    /// string when nothing has parsed it yet and no key repeats (the usual URL call): no dictionary, no string per name
    /// and value, no boxed enumerator. Keys repeat as ASP.NET Core's query collection sees them (ignoring case); then,
    /// or past <see cref="MaxFieldsReadDirectly"/> fields, that collection gathers them, as before.
    /// </summary>
    public static JsonDocument? FromQuery(HttpRequest request, PooledBufferWriter buffer)
    {
        var queryString = request.QueryString.Value;
        if (string.IsNullOrEmpty(queryString) || queryString == "?")
        {
            return null;
        }

        // Once something has read the query (or set a query feature of its own, which may answer something else than
        // the raw string), the collection is there: it is used.
        if (request.HttpContext.Features.Get<IQueryFeature>() is not null || !ReadableDirectly(queryString))
        {
            return ToDocument(request.Query, buffer);
        }

        return Build(buffer, queryString, static (writer, query) =>
        {
            var any = false;
            foreach (var pair in new QueryStringEnumerable(query))
            {
                any = true;
                writer.WriteString(pair.DecodeName().Span, pair.DecodeValue().Span);
            }

            return any;
        });
    }

    public static JsonDocument? ToDocument(IEnumerable<KeyValuePair<string, StringValues>> fields, PooledBufferWriter buffer) =>
        Build(buffer, fields, static (writer, fields) =>
        {
            var any = false;
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

            return any;
        });

    /// <summary>The object <paramref name="writeFields"/> fills, parsed; null when it wrote no field.</summary>
    private static JsonDocument? Build<TState>(PooledBufferWriter buffer, TState state, Func<Utf8JsonWriter, TState, bool> writeFields)
    {
        using (var lease = JsonWriterCache.Rent(buffer))
        {
            var writer = lease.Writer;
            writer.WriteStartObject();
            var any = writeFields(writer, state);
            writer.WriteEndObject();
            if (!any)
            {
                return null;
            }
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    // Few enough fields, none named twice. Each name is compared with the ones after it: decoding allocates only for
    // an escaped name.
    private static bool ReadableDirectly(string queryString)
    {
        var count = 0;
        foreach (var _ in new QueryStringEnumerable(queryString))
        {
            if (++count > MaxFieldsReadDirectly)
            {
                return false;
            }
        }

        var index = 0;
        foreach (var pair in new QueryStringEnumerable(queryString))
        {
            var name = pair.DecodeName();
            var position = 0;
            foreach (var other in new QueryStringEnumerable(queryString))
            {
                if (position++ > index && name.Span.Equals(other.DecodeName().Span, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            index++;
        }

        return true;
    }
}
