using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tessera.Buffers;

namespace Tessera.Wires.XmlRpc;

/// <summary>
/// Writes <c>methodResponse</c> documents straight from a method's JSON result: integers as int or i8, other numbers as
/// double, null as the nil extension; or a fault with its code and string. Written by hand as UTF-8: the document has a
/// fixed shape and only text needs escaping, and an <see cref="System.Xml.XmlWriter"/> costs 6 KB of buffers per answer
/// (more than the whole hand-written call allocates).
/// </summary>
internal static class XmlRpcResponseWriter
{
    /// <summary>How a top-level result of a given C# type is written when JSON alone would lose its XML-RPC type.</summary>
    public enum TopLevel
    {
        Json,
        Base64,
        DateTime,
    }

    /// <summary>A successful answer; <paramref name="resultJson"/> empty is a method without a result (nil).</summary>
    public static void Success(PooledBufferWriter output, ReadOnlySpan<byte> resultJson, TopLevel topLevel)
    {
        Raw(output, "<?xml version=\"1.0\" encoding=\"utf-8\"?><methodResponse><params><param>"u8);
        if (resultJson.IsEmpty)
        {
            Raw(output, "<value><nil/></value>"u8);
        }
        else
        {
            var json = new Utf8JsonReader(resultJson, new JsonReaderOptions { MaxDepth = 1024 });
            json.Read();
            WriteValue(output, ref json, topLevel);
        }

        Raw(output, "</param></params></methodResponse>"u8);
    }

    public static void Fault(PooledBufferWriter output, int code, string message)
    {
        Raw(output, "<?xml version=\"1.0\" encoding=\"utf-8\"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>"u8);
        Number(output, code);
        Raw(output, "</int></value></member><member><name>faultString</name><value><string>"u8);
        Text(output, message);
        Raw(output, "</string></value></member></struct></value></fault></methodResponse>"u8);
    }

    /// <summary>Writes the JSON value the reader is on as one <c>&lt;value&gt;</c>, leaving the reader on its last token.</summary>
    private static void WriteValue(PooledBufferWriter output, ref Utf8JsonReader json, TopLevel topLevel)
    {
        Raw(output, "<value>"u8);
        switch (json.TokenType)
        {
            case JsonTokenType.String when topLevel == TopLevel.Base64:
                Element(output, "<base64>"u8, ref json, "</base64>"u8);
                break;
            case JsonTokenType.String when topLevel == TopLevel.DateTime && json.TryGetDateTimeOffset(out var date):
                Raw(output, "<dateTime.iso8601>"u8);
                Formatted(output, date.UtcDateTime, "yyyyMMdd'T'HH:mm:ss");
                Raw(output, "</dateTime.iso8601>"u8);
                break;
            case JsonTokenType.String:
                Element(output, "<string>"u8, ref json, "</string>"u8);
                break;
            case JsonTokenType.Number when json.TryGetInt32(out var small):
                Raw(output, "<int>"u8);
                Number(output, small);
                Raw(output, "</int>"u8);
                break;
            case JsonTokenType.Number when json.TryGetInt64(out var large):
                Raw(output, "<i8>"u8);
                Number(output, large);
                Raw(output, "</i8>"u8);
                break;
            case JsonTokenType.Number:
                Raw(output, "<double>"u8);
                Formatted(output, json.GetDouble(), "R");
                Raw(output, "</double>"u8);
                break;
            case JsonTokenType.True:
                Raw(output, "<boolean>1</boolean>"u8);
                break;
            case JsonTokenType.False:
                Raw(output, "<boolean>0</boolean>"u8);
                break;
            case JsonTokenType.StartArray:
                Raw(output, "<array><data>"u8);
                while (json.Read() && json.TokenType != JsonTokenType.EndArray)
                {
                    WriteValue(output, ref json, TopLevel.Json);
                }

                Raw(output, "</data></array>"u8);
                break;
            case JsonTokenType.StartObject:
                Raw(output, "<struct>"u8);
                while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
                {
                    Element(output, "<member><name>"u8, ref json, "</name>"u8);
                    json.Read();
                    WriteValue(output, ref json, TopLevel.Json);
                    Raw(output, "</member>"u8);
                }

                Raw(output, "</struct>"u8);
                break;
            default:
                Raw(output, "<nil/>"u8);
                break;
        }

        Raw(output, "</value>"u8);
    }

    /// <summary>An element holding the string (or property name) the reader is on, unescaped from JSON and escaped for XML.</summary>
    private static void Element(PooledBufferWriter output, ReadOnlySpan<byte> open, ref Utf8JsonReader json, ReadOnlySpan<byte> close)
    {
        Raw(output, open);
        var length = json.HasValueSequence ? checked((int)json.ValueSequence.Length) : json.ValueSpan.Length;
        var rented = length > 256 ? ArrayPool<char>.Shared.Rent(length) : null;
        Span<char> chars = rented is null ? stackalloc char[256] : rented;
        Text(output, chars[..json.CopyString(chars)]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        Raw(output, close);
    }

    /// <summary>
    /// Text content: markup characters escaped, a carriage return kept as a reference (a parser would turn a literal one
    /// into a line feed), and characters XML 1.0 cannot carry (most control characters, lone surrogates) as U+FFFD.
    /// </summary>
    private static void Text(PooledBufferWriter output, ReadOnlySpan<char> text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var escaped = text[i] switch
            {
                '&' => "&amp;"u8,
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                '\r' => "&#xD;"u8,
                '\t' or '\n' => default,
                < ' ' or '\uFFFE' or '\uFFFF' => "\uFFFD"u8,
                _ => default,
            };
            if (escaped.IsEmpty)
            {
                continue;
            }

            Encode(output, text[start..i]);
            Raw(output, escaped);
            start = i + 1;
        }

        Encode(output, text[start..]);
    }

    /// <summary>UTF-8; the encoder writes U+FFFD for a lone surrogate.</summary>
    private static void Encode(PooledBufferWriter output, ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty)
        {
            output.Advance(Encoding.UTF8.GetBytes(text, output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length))));
        }
    }

    private static void Number(PooledBufferWriter output, long value)
    {
        value.TryFormat(output.GetSpan(20), out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private static void Formatted<T>(PooledBufferWriter output, T value, string format)
        where T : IUtf8SpanFormattable
    {
        value.TryFormat(output.GetSpan(64), out var written, format, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    private static void Raw(PooledBufferWriter output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
