using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Tessera.Buffers;
using Tessera.Dispatch.Binding;

namespace Tessera.Wires.Http;

/// <summary>
/// Turns query-string or form fields into a JSON object of strings (a repeated key becomes an array of strings), so
/// they bind through the same binder as JSON bodies; a query whose names do not repeat binds from its raw string.
/// </summary>
internal static class StringValuesJson
{
    // A query with more fields than this goes through ASP.NET Core's collection, whose look-ups stay linear however
    // many fields a client sends; the check for repeated keys below compares every pair.
    private const int MaxFieldsReadDirectly = 16;

    /// <summary>
    /// The raw query string when its fields can bind straight from it (<see cref="CallParameters.FromQueryString"/>):
    /// nothing has parsed the query yet and no name repeats (ignoring case, as ASP.NET Core's query collection gathers
    /// them). Null when <see cref="ToDocument"/> must gather <c>Request.Query</c> into a JSON object instead: a repeated
    /// name (its values become an array), more than <see cref="MaxFieldsReadDirectly"/> fields, or a query feature set by
    /// the application, which may answer something else than the raw string.
    /// </summary>
    /// <remarks>
    /// The usual URL call then builds no dictionary, no JSON document and no string per name: writing the query as JSON
    /// and parsing it again took about 0.5 us of a URL call's 2.2-2.9 us in process (and 100 of its 2,800 bytes).
    /// </remarks>
    public static string? DirectQuery(HttpRequest request)
    {
        var queryString = request.QueryString.Value ?? string.Empty;
        return request.HttpContext.Features.Get<IQueryFeature>() is null && ReadableDirectly(queryString) ? queryString : null;
    }

    /// <summary>The fields as a JSON object of strings, a repeated name as an array of them; null when there is none.</summary>
    public static JsonDocument? ToDocument(IEnumerable<KeyValuePair<string, StringValues>> fields, PooledBufferWriter buffer)
    {
        var any = false;
        using (var lease = JsonWriterCache.Rent(buffer))
        {
            var writer = lease.Writer;
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
        }

        return any ? JsonDocument.Parse(buffer.WrittenMemory) : null;
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
