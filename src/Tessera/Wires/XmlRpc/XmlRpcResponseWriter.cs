using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Tessera.Wires.XmlRpc;

/// <summary>
/// Writes <c>methodResponse</c> documents: a value converted from the method's JSON result (integers as int or i8,
/// other numbers as double, null as the nil extension), or a fault with its code and string.
/// </summary>
internal static class XmlRpcResponseWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        OmitXmlDeclaration = false,
        Indent = false,
    };

    /// <summary>How a top-level result of a given C# type is written when JSON alone would lose its XML-RPC type.</summary>
    public enum TopLevel
    {
        Json,
        Base64,
        DateTime,
    }

    public static byte[] Success(JsonElement result, TopLevel topLevel) => Document(writer =>
    {
        writer.WriteStartElement("params");
        writer.WriteStartElement("param");
        WriteValue(writer, result, topLevel);
        writer.WriteEndElement();
        writer.WriteEndElement();
    });

    public static byte[] Fault(int code, string message) => Document(writer =>
    {
        writer.WriteStartElement("fault");
        WriteFaultValue(writer, code, message);
        writer.WriteEndElement();
    });

    public static void WriteFaultValue(XmlWriter writer, int code, string message)
    {
        writer.WriteStartElement("value");
        writer.WriteStartElement("struct");
        WriteMember(writer, "faultCode", w => WriteScalar(w, "int", code.ToString(CultureInfo.InvariantCulture)));
        WriteMember(writer, "faultString", w => WriteScalar(w, "string", Clean(message)));
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    public static void WriteValue(XmlWriter writer, JsonElement value, TopLevel topLevel = TopLevel.Json)
    {
        writer.WriteStartElement("value");
        switch (value.ValueKind)
        {
            case JsonValueKind.String when topLevel == TopLevel.Base64:
                writer.WriteElementString("base64", value.GetString());
                break;
            case JsonValueKind.String when topLevel == TopLevel.DateTime && value.TryGetDateTimeOffset(out var date):
                writer.WriteElementString("dateTime.iso8601", date.UtcDateTime.ToString("yyyyMMdd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.String:
                writer.WriteElementString("string", Clean(value.GetString()!));
                break;
            case JsonValueKind.Number when value.TryGetInt32(out var small):
                writer.WriteElementString("int", small.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.Number when value.TryGetInt64(out var large):
                writer.WriteElementString("i8", large.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.Number:
                writer.WriteElementString("double", value.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.WriteElementString("boolean", value.ValueKind == JsonValueKind.True ? "1" : "0");
                break;
            case JsonValueKind.Array:
                writer.WriteStartElement("array");
                writer.WriteStartElement("data");
                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndElement();
                writer.WriteEndElement();
                break;
            case JsonValueKind.Object:
                writer.WriteStartElement("struct");
                foreach (var property in value.EnumerateObject())
                {
                    WriteMember(writer, property.Name, w => WriteValue(w, property.Value));
                }

                writer.WriteEndElement();
                break;
            default:
                writer.WriteStartElement("nil");
                writer.WriteEndElement();
                break;
        }

        writer.WriteEndElement();
    }

    /// <summary>A struct member; <paramref name="writeValue"/> writes the whole <c>&lt;value&gt;</c>.</summary>
    private static void WriteMember(XmlWriter writer, string name, Action<XmlWriter> writeValue)
    {
        writer.WriteStartElement("member");
        writer.WriteElementString("name", Clean(name));
        writeValue(writer);
        writer.WriteEndElement();
    }

    private static void WriteScalar(XmlWriter writer, string type, string text)
    {
        writer.WriteStartElement("value");
        writer.WriteElementString(type, text);
        writer.WriteEndElement();
    }

    public static byte[] Document(Action<XmlWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, Settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("methodResponse");
            body(writer);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }

    /// <summary>XML 1.0 cannot carry some characters (most control characters); they become U+FFFD.</summary>
    private static string Clean(string text) =>
        text.All(XmlConvert.IsXmlChar) ? text : string.Concat(text.Select(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD'));
}
