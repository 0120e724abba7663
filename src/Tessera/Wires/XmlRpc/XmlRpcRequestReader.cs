using Tessera.Dispatch;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace Tessera.Wires.XmlRpc;

/// <summary>Why an XML-RPC request could not be read; answered as a -32700 (or -32600) fault.</summary>
internal sealed class XmlRpcFormatException(string message, bool notWellFormed = false) : Exception(message)
{
    public bool NotWellFormed { get; } = notWellFormed;
}

/// <summary>
/// Reads a <c>methodCall</c> into a method name and its parameters as a JSON array, so XML-RPC calls bind through the
/// same binder as every other wire. DTDs are refused outright (no entity expansion, no external entities), nothing is
/// resolved, and value nesting is limited.
/// </summary>
internal static class XmlRpcRequestReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    public static (string MethodName, JsonDocument Parameters) Read(
        ReadOnlyMemory<byte> body, int maxDepth, JsonDocumentOptions documentOptions, CancellationToken cancellationToken)
    {
        // Each level of value nesting is three elements (value, array or struct, data or member); the call adds four.
        var maxElementDepth = (3 * maxDepth) + 8;
        XDocument document;
        try
        {
            CheckShape(body, maxElementDepth, cancellationToken);
            using var stream = AsStream(body);
            using var reader = XmlReader.Create(stream, Settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException exception)
        {
            throw new XmlRpcFormatException(Describe(exception), notWellFormed: true);
        }

        var call = document.Root;
        if (call?.Name.LocalName != "methodCall")
        {
            throw new XmlRpcFormatException("The request must be a <methodCall>.");
        }

        var name = call.Element("methodName")?.Value.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw new XmlRpcFormatException("The <methodCall> has no <methodName>.");
        }

        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var parameter in call.Element("params")?.Elements("param") ?? [])
            {
                WriteValue(parameter.Element("value") ?? throw new XmlRpcFormatException("A <param> has no <value>."), writer, maxDepth);
            }

            writer.WriteEndArray();
        }

        try
        {
            return (name, JsonDocument.Parse(buffer.WrittenMemory.ToArray(), documentOptions));
        }
        catch (JsonException exception)
        {
            throw new XmlRpcFormatException(exception.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? "The values are nested too deeply."
                : "A <struct> names the same member twice; each name may appear once.");
        }
    }

    /// <summary>
    /// One streaming pass before the tree is built: refuses nesting past the limit as soon as it is reached (so the
    /// time spent is linear in the bytes read, and a request nested 45,000 deep costs no more than its first levels),
    /// and stops when the client goes away.
    /// </summary>
    private static void CheckShape(ReadOnlyMemory<byte> body, int maxElementDepth, CancellationToken cancellationToken)
    {
        using var stream = AsStream(body);
        using var reader = XmlReader.Create(stream, Settings);
        var nodes = 0;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth > maxElementDepth)
            {
                throw new XmlRpcFormatException("The values are nested too deeply.");
            }

            if (++nodes % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>The body as a read-only stream, over its own array when it has one (it always does from the HTTP wire).</summary>
    private static MemoryStream AsStream(ReadOnlyMemory<byte> body) =>
        MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);

    /// <summary>What is wrong with the XML, in Tessera's words rather than the parser's.</summary>
    private static string Describe(XmlException exception)
    {
        var message = exception.Message;
        var what = message.Contains("DTD", StringComparison.Ordinal) || message.Contains("DOCTYPE", StringComparison.OrdinalIgnoreCase)
            ? "The request contains a document type declaration (DTD), which XML-RPC requests may not have"
            : message.Contains("encoding", StringComparison.OrdinalIgnoreCase)
                ? "The request's XML declaration names an encoding this service does not read; send UTF-8"
                : "The request is not well-formed XML";
        return exception.LineNumber > 0 ? $"{what} (line {exception.LineNumber}, position {exception.LinePosition})." : what + ".";
    }

    /// <summary>Writes one <c>&lt;value&gt;</c> as JSON. Dates become ISO 8601 strings and base64 stays a string.</summary>
    public static void WriteValue(XElement value, Utf8JsonWriter writer, int depthLeft)
    {
        if (depthLeft <= 0)
        {
            throw new XmlRpcFormatException("The values are nested too deeply.");
        }

        var typed = value.Elements().FirstOrDefault();
        if (typed is null)
        {
            // A value without a type element is a string.
            writer.WriteStringValue(value.Value);
            return;
        }

        // Only scalars read their text: a container's Value concatenates all its descendants, quadratic when nested.
        var kind = typed.Name.LocalName;
        var text = kind is "struct" or "array" ? string.Empty : typed.Value;
        switch (kind)
        {
            case "i4" or "int" or "i8" or "i1" or "i2":
                writer.WriteNumberValue(Parse<long>(text, long.TryParse, "an integer"));
                break;
            case "boolean":
                writer.WriteBooleanValue(text.Trim() switch
                {
                    "1" => true,
                    "0" => false,
                    _ => throw new XmlRpcFormatException($"'{text}' is not a boolean (0 or 1)."),
                });
                break;
            case "string":
                writer.WriteStringValue(text);
                break;
            case "double":
                var number = Parse<double>(text, double.TryParse, "a double");
                writer.WriteNumberValue(double.IsFinite(number) ? number : throw new XmlRpcFormatException($"'{text}' is not a finite double."));
                break;
            case "dateTime.iso8601":
                writer.WriteStringValue(ParseDate(text).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
                break;
            case "base64":
                var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
                writer.WriteStringValue(Convert.TryFromBase64String(compact, new byte[compact.Length], out _)
                    ? compact
                    : throw new XmlRpcFormatException("A <base64> value is not valid base64."));
                break;
            case "nil":
                writer.WriteNullValue();
                break;
            case "struct":
                writer.WriteStartObject();
                foreach (var member in typed.Elements("member"))
                {
                    writer.WritePropertyName(member.Element("name")?.Value ?? throw new XmlRpcFormatException("A <member> has no <name>."));
                    WriteValue(member.Element("value") ?? throw new XmlRpcFormatException("A <member> has no <value>."), writer, depthLeft - 1);
                }

                writer.WriteEndObject();
                break;
            case "array":
                writer.WriteStartArray();
                foreach (var item in typed.Element("data")?.Elements("value") ?? [])
                {
                    WriteValue(item, writer, depthLeft - 1);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new XmlRpcFormatException($"<{typed.Name.LocalName}> is not an XML-RPC type.");
        }
    }

    private delegate bool TryParser<T>(string text, NumberStyles styles, IFormatProvider provider, out T value);

    private static T Parse<T>(string text, TryParser<T> parse, string what) =>
        parse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new XmlRpcFormatException($"'{text}' is not {what}.");

    private static DateTime ParseDate(string text)
    {
        string[] formats = ["yyyyMMdd'T'HH:mm:ss", "yyyyMMdd'T'HHmmss", "yyyy-MM-dd'T'HH:mm:ss", "yyyyMMdd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'"];
        return DateTime.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw new XmlRpcFormatException($"'{text}' is not a dateTime.iso8601 value.");
    }
}
