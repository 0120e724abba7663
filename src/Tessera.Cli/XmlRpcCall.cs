using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Tessera.Client;

namespace Tessera.Cli;

/// <summary>Calls over XML-RPC (<c>/RPC2</c>) for <c>tessera call --wire xmlrpc</c>: parameters by position, the answer or
/// fault turned back into JSON. Document type declarations in answers are refused.</summary>
internal static class XmlRpcCall
{
    public static async Task<JsonNode?> CallAsync(Uri service, string method, IEnumerable<JsonNode?> positional, CancellationToken cancellationToken)
    {
        var call = new XElement("methodCall", new XElement("methodName", method),
            new XElement("params", positional.Select(value => new XElement("param", Value(value)))));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
        using var content = new StringContent(call.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "text/xml");
        using var response = await http.PostAsync(new Uri(service, "RPC2"), content, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = XmlReader.Create(body, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, Async = true });
        var answer = await XDocument.LoadAsync(reader, LoadOptions.None, cancellationToken);
        if (answer.Root?.Element("fault")?.Element("value") is { } fault)
        {
            var details = Parse(fault)!.AsObject();
            var code = details["faultCode"]?.GetValue<long>() ?? 0;
            var message = details["faultString"]?.GetValue<string>() ?? "fault";
            throw new TesseraCallException((int)code, message, JsonSerializer.SerializeToElement(message, CliJson.Default.String));
        }

        return answer.Root?.Element("params")?.Element("param")?.Element("value") is { } value
            ? Parse(value)
            : throw new TesseraTransportException("The XML-RPC answer has neither params nor fault.", requestSent: true, (int)response.StatusCode);
    }

    private static XElement Value(JsonNode? node) => new("value", node switch
    {
        null => new XElement("nil"),
        JsonObject o => new XElement("struct", o.Select(p => new XElement("member", new XElement("name", p.Key), Value(p.Value)))),
        JsonArray a => new XElement("array", new XElement("data", a.Select(Value))),
        JsonValue v when v.TryGetValue<bool>(out var b) => new XElement("boolean", b ? "1" : "0"),
        JsonValue v when v.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue => new XElement("int", l),
        JsonValue v when v.TryGetValue<long>(out var l) => new XElement("i8", l),
        JsonValue v when v.TryGetValue<double>(out var d) => new XElement("double", d.ToString("R", CultureInfo.InvariantCulture)),
        _ => new XElement("string", node.ToString()),
    });

    private static JsonNode? Parse(XElement value)
    {
        var typed = value.Elements().FirstOrDefault();
        if (typed is null)
        {
            return JsonValue.Create(value.Value);
        }

        return typed.Name.LocalName switch
        {
            "int" or "i4" or "i8" => JsonValue.Create(long.Parse(typed.Value, CultureInfo.InvariantCulture)),
            "double" => JsonValue.Create(double.Parse(typed.Value, CultureInfo.InvariantCulture)),
            "boolean" => JsonValue.Create(typed.Value.Trim() == "1"),
            "nil" => null,
            "struct" => new JsonObject(typed.Elements("member").Select(m =>
                KeyValuePair.Create(m.Element("name")!.Value, Parse(m.Element("value")!)))),
            "array" => new JsonArray([.. typed.Element("data")!.Elements("value").Select(Parse)]),
            _ => JsonValue.Create(typed.Value),
        };
    }
}
