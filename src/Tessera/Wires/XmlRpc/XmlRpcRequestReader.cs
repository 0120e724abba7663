using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Xml;
using Tessera.Buffers;

namespace Tessera.Wires.XmlRpc;

/// <summary>Why an XML-RPC request could not be read; answered as a -32700 (or -32600) fault.</summary>
internal sealed class XmlRpcFormatException(string message, bool notWellFormed = false) : Exception(message)
{
    public bool NotWellFormed { get; } = notWellFormed;
}

/// <summary>
/// Reads a <c>methodCall</c> into a method name and its parameters as a JSON array, so XML-RPC calls bind through the
/// same binder as every other wire. One streaming pass from <see cref="XmlReader"/> to <see cref="Utf8JsonWriter"/>
/// (no tree is built: a tree and a second reader cost four times the whole hand-written call). DTDs are refused outright
/// (no entity expansion, no external entities), nothing is resolved, and nesting is refused as soon as it passes the
/// limit, so the time spent is linear in the bytes read.
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
        using var buffer = new PooledBufferWriter();
        string name;
        try
        {
            using var stream = AsStream(body);
            using var xml = XmlReader.Create(stream, Settings);
            using var json = new Utf8JsonWriter(buffer);
            name = new CallReader(xml, maxDepth, cancellationToken).Read(json);
        }
        catch (XmlException exception)
        {
            throw new XmlRpcFormatException(Describe(exception), notWellFormed: true);
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

    /// <summary>
    /// Walks one request. Each method starts on an element and leaves the reader just past its end. Elements XML-RPC does
    /// not define are skipped (as a tree reader would ignore them), but still counted against the depth limit.
    /// </summary>
    private sealed class CallReader(XmlReader xml, int maxDepth, CancellationToken cancellationToken)
    {
        // Each level of value nesting is three elements (value, array or struct, data or member); the call adds four.
        private readonly int _maxElementDepth = (3 * maxDepth) + 8;
        private int _nodes;

        /// <summary>Writes the parameters as a JSON array and answers the method name.</summary>
        public string Read(Utf8JsonWriter json)
        {
            xml.MoveToContent();
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "methodCall")
            {
                throw new XmlRpcFormatException("The request must be a <methodCall>.");
            }

            string? name = null;
            var sawParameters = false;
            json.WriteStartArray();
            for (var more = Enter(); more && NextChild();)
            {
                if (xml.LocalName == "methodName" && name is null)
                {
                    name = ReadText().Trim();
                }
                else if (xml.LocalName == "params" && !sawParameters)
                {
                    sawParameters = true;
                    ReadParameters(json);
                }
                else
                {
                    Skip();
                }
            }

            json.WriteEndArray();

            // Whatever follows the call must still be well-formed XML.
            while (Advance())
            {
            }

            return string.IsNullOrEmpty(name) ? throw new XmlRpcFormatException("The <methodCall> has no <methodName>.") : name;
        }

        private void ReadParameters(Utf8JsonWriter json)
        {
            for (var more = Enter(); more && NextChild();)
            {
                if (xml.LocalName != "param")
                {
                    Skip();
                    continue;
                }

                var sawValue = false;
                for (var inParam = Enter(); inParam && NextChild();)
                {
                    if (xml.LocalName == "value" && !sawValue)
                    {
                        sawValue = true;
                        ReadValue(json, maxDepth);
                    }
                    else
                    {
                        Skip();
                    }
                }

                if (!sawValue)
                {
                    throw new XmlRpcFormatException("A <param> has no <value>.");
                }
            }
        }

        /// <summary>One <c>&lt;value&gt;</c>: its first element is its type; without one, its text is a string.</summary>
        private void ReadValue(Utf8JsonWriter json, int depthLeft)
        {
            if (depthLeft <= 0)
            {
                throw new XmlRpcFormatException("The values are nested too deeply.");
            }

            var typed = false;
            var text = new TextCollector();
            var inValue = Enter();
            while (inValue && Inside())
            {
                if (xml.NodeType == XmlNodeType.Element)
                {
                    if (typed)
                    {
                        Skip();
                    }
                    else
                    {
                        typed = true;
                        ReadTyped(json, depthLeft);
                    }

                    continue;
                }

                if (!typed)
                {
                    text.Add(xml);
                }

                Advance();
            }

            if (inValue)
            {
                Advance();
            }

            if (!typed)
            {
                json.WriteStringValue(text.Text);
            }
        }

        /// <summary>A type element. Dates become ISO 8601 strings and base64 stays a string.</summary>
        private void ReadTyped(Utf8JsonWriter json, int depthLeft)
        {
            var kind = xml.LocalName;
            switch (kind)
            {
                case "struct":
                    ReadStruct(json, depthLeft);
                    return;
                case "array":
                    ReadArray(json, depthLeft);
                    return;
                case "i4" or "int" or "i8" or "i1" or "i2" or "boolean" or "string" or "double" or "dateTime.iso8601" or "base64" or "nil":
                    WriteScalar(json, kind, ReadText());
                    return;
                default:
                    throw new XmlRpcFormatException($"<{kind}> is not an XML-RPC type.");
            }
        }

        private void ReadStruct(Utf8JsonWriter json, int depthLeft)
        {
            json.WriteStartObject();
            for (var more = Enter(); more && NextChild();)
            {
                if (xml.LocalName == "member")
                {
                    ReadMember(json, depthLeft);
                }
                else
                {
                    Skip();
                }
            }

            json.WriteEndObject();
        }

        /// <summary>A member's <c>&lt;name&gt;</c> comes before its <c>&lt;value&gt;</c> (as in the specification and every client).</summary>
        private void ReadMember(Utf8JsonWriter json, int depthLeft)
        {
            string? name = null;
            var sawValue = false;
            for (var more = Enter(); more && NextChild();)
            {
                if (xml.LocalName == "name" && name is null)
                {
                    name = ReadText();
                }
                else if (xml.LocalName == "value" && !sawValue)
                {
                    json.WritePropertyName(name ?? throw new XmlRpcFormatException("A <member> has no <name>."));
                    sawValue = true;
                    ReadValue(json, depthLeft - 1);
                }
                else
                {
                    Skip();
                }
            }

            if (name is null)
            {
                throw new XmlRpcFormatException("A <member> has no <name>.");
            }

            if (!sawValue)
            {
                throw new XmlRpcFormatException("A <member> has no <value>.");
            }
        }

        private void ReadArray(Utf8JsonWriter json, int depthLeft)
        {
            json.WriteStartArray();
            var sawData = false;
            for (var more = Enter(); more && NextChild();)
            {
                if (xml.LocalName != "data" || sawData)
                {
                    Skip();
                    continue;
                }

                sawData = true;
                for (var inData = Enter(); inData && NextChild();)
                {
                    if (xml.LocalName == "value")
                    {
                        ReadValue(json, depthLeft - 1);
                    }
                    else
                    {
                        Skip();
                    }
                }
            }

            json.WriteEndArray();
        }

        /// <summary>The text of an element that holds only text (a scalar or a name); an element inside it is an error.</summary>
        private string ReadText()
        {
            var element = xml.LocalName;
            var text = new TextCollector();
            if (!Enter())
            {
                return string.Empty;
            }

            for (; Inside(); Advance())
            {
                if (xml.NodeType == XmlNodeType.Element)
                {
                    throw new XmlRpcFormatException($"<{element}> holds an element; it may hold only text.");
                }

                text.Add(xml);
            }

            Advance();
            return text.Text;
        }

        /// <summary>Steps into the current element; false when it is empty (the reader is then already past it).</summary>
        private bool Enter()
        {
            var empty = xml.IsEmptyElement;
            Advance();
            return !empty;
        }

        /// <summary>Moves to the next child element; at the parent's end, steps past it and answers false.</summary>
        private bool NextChild()
        {
            while (true)
            {
                switch (xml.NodeType)
                {
                    case XmlNodeType.Element:
                        return true;
                    case XmlNodeType.EndElement:
                        Advance();
                        return false;
                    default:
                        _ = Inside();
                        Advance();
                        break;
                }
            }
        }

        /// <summary>False at the end of the current element; the reader never ends inside one, but a loop must not spin if it did.</summary>
        private bool Inside() => xml.NodeType switch
        {
            XmlNodeType.EndElement => false,
            XmlNodeType.None => throw new XmlRpcFormatException("The request ended inside an element.", notWellFormed: true),
            _ => true,
        };

        /// <summary>Steps past the current element and everything in it.</summary>
        private void Skip()
        {
            if (xml.IsEmptyElement)
            {
                Advance();
                return;
            }

            var depth = xml.Depth;
            while (Advance() && xml.Depth > depth)
            {
            }

            Advance();
        }

        /// <summary>Reads one node: refuses elements past the depth limit and stops when the client has gone away.</summary>
        private bool Advance()
        {
            if (!xml.Read())
            {
                return false;
            }

            if (xml.NodeType == XmlNodeType.Element && xml.Depth > _maxElementDepth)
            {
                throw new XmlRpcFormatException("The values are nested too deeply.");
            }

            if (++_nodes % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            return true;
        }
    }

    /// <summary>The text nodes of one element, joined; one node (the usual case) costs no copy.</summary>
    private struct TextCollector
    {
        private string? _first;
        private StringBuilder? _more;

        public readonly string Text => _more?.ToString() ?? _first ?? string.Empty;

        public void Add(XmlReader xml)
        {
            if (xml.NodeType is not (XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace))
            {
                return;
            }

            if (_first is null)
            {
                _first = xml.Value;
            }
            else
            {
                (_more ??= new StringBuilder(_first)).Append(xml.Value);
            }
        }
    }

    private static void WriteScalar(Utf8JsonWriter json, string kind, string text)
    {
        switch (kind)
        {
            case "i4" or "int" or "i8" or "i1" or "i2":
                json.WriteNumberValue(Parse<long>(text, long.TryParse, "an integer"));
                break;
            case "boolean":
                json.WriteBooleanValue(text.Trim() switch
                {
                    "1" => true,
                    "0" => false,
                    _ => throw new XmlRpcFormatException($"'{text}' is not a boolean (0 or 1)."),
                });
                break;
            case "string":
                json.WriteStringValue(text);
                break;
            case "double":
                var number = Parse<double>(text, double.TryParse, "a double");
                json.WriteNumberValue(double.IsFinite(number) ? number : throw new XmlRpcFormatException($"'{text}' is not a finite double."));
                break;
            case "dateTime.iso8601":
                json.WriteStringValue(ParseDate(text).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
                break;
            case "base64":
                var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
                json.WriteStringValue(Convert.TryFromBase64String(compact, new byte[compact.Length], out _)
                    ? compact
                    : throw new XmlRpcFormatException("A <base64> value is not valid base64."));
                break;
            default: // nil
                json.WriteNullValue();
                break;
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
