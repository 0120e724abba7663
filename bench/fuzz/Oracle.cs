using System.Net;
using System.Text.Json;
using System.Xml;

namespace Tessera.Fuzz;

internal enum Verdict
{
    /// <summary>A result (or the empty answer of a notification or a method returning nothing).</summary>
    Answered,

    /// <summary>A documented error: the request was refused for what it is.</summary>
    Refused,

    /// <summary>The input could not even be sent (an HTTP client refuses such a URL or header): not the server's doing.</summary>
    Unsendable,

    /// <summary>Anything else: a 5xx, error 1000 or -32603, an answer that is not the wire's format, a hang, an escaped exception.</summary>
    Failed,
}

internal readonly record struct Outcome(Verdict Verdict, string? Why = null)
{
    public static readonly Outcome Answered = new(Verdict.Answered);
    public static readonly Outcome Refused = new(Verdict.Refused);
    public static readonly Outcome Unsendable = new(Verdict.Unsendable);

    public static Outcome Failed(string why) => new(Verdict.Failed, why);
}

/// <summary>Decides whether an answer is one the protocol documents (docs/protocol.md, docs/errors.md).</summary>
internal static class Oracle
{
    /// <summary>Codes that mean an exception escaped somewhere: never a correct answer to any input.</summary>
    private static readonly HashSet<int> Unexpected = [1000, -32603];

    public static Outcome Json(HttpStatusCode status, string body)
    {
        if ((int)status >= 500)
        {
            return Outcome.Failed($"HTTP {(int)status}: {Short(body)}");
        }

        if (body.Length == 0)
        {
            return (int)status < 400 ? Outcome.Answered : Outcome.Failed($"HTTP {(int)status} with an empty body");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Outcome.Failed($"HTTP {(int)status}, not JSON: {Short(body)}");
        }

        using (document)
        {
            var codes = new List<int>();
            Collect(document.RootElement, codes);
            if (codes.FirstOrDefault(Unexpected.Contains) is not 0 and var code)
            {
                return Outcome.Failed($"error {code}: {Short(body)}");
            }

            if ((int)status >= 400 && codes.Count == 0)
            {
                return Outcome.Failed($"HTTP {(int)status} without an error: {Short(body)}");
            }

            return codes.Count > 0 ? Outcome.Refused : Outcome.Answered;
        }
    }

    public static Outcome Xml(HttpStatusCode status, string contentType, string body)
    {
        if ((int)status >= 500)
        {
            return Outcome.Failed($"HTTP {(int)status}: {Short(body)}");
        }

        if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return Json(status, body);
        }

        try
        {
            var document = new XmlDocument { XmlResolver = null };
            document.LoadXml(body);
            var fault = document.SelectSingleNode("/methodResponse/fault//member[name='faultCode']/value/*");
            if (fault is null)
            {
                return document.SelectSingleNode("/methodResponse/params") is null
                    ? Outcome.Failed($"neither params nor fault: {Short(body)}")
                    : (int)status < 400 ? Outcome.Answered : Outcome.Failed($"HTTP {(int)status} with params");
            }

            var code = int.Parse(fault.InnerText, System.Globalization.CultureInfo.InvariantCulture);
            return Unexpected.Contains(code) ? Outcome.Failed($"fault {code}: {Short(body)}") : Outcome.Refused;
        }
        catch (Exception exception) when (exception is XmlException or FormatException or System.Xml.XPath.XPathException)
        {
            return Outcome.Failed($"HTTP {(int)status}, not an XML-RPC answer: {Short(body)}");
        }
    }

    /// <summary>
    /// Judges an HTTP answer by the format it declares: JSON and XML-RPC as they are, MessagePack and BSON decoded to
    /// JSON first (errors are answered in the request's format), an event stream by its status.
    /// </summary>
    public static Outcome Http(HttpStatusCode status, string contentType, byte[] body)
    {
        var type = contentType.ToLowerInvariant();
        if ((int)status >= 500)
        {
            return Outcome.Failed($"HTTP {(int)status} ({contentType}): {Short(System.Text.Encoding.UTF8.GetString(body))}");
        }

        if (type.Contains("json", StringComparison.Ordinal) || body.Length == 0)
        {
            return Json(status, System.Text.Encoding.UTF8.GetString(body));
        }

        if (type.Contains("xml", StringComparison.Ordinal))
        {
            return Xml(status, contentType, System.Text.Encoding.UTF8.GetString(body));
        }

        if (type.Contains("msgpack", StringComparison.Ordinal))
        {
            return Decoded(status, () =>
            {
                var output = new System.Buffers.ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(output))
                {
                    Tessera.Wires.MessagePack.MessagePackToJson.Convert(body, writer, maxDepth: 1024);
                }

                return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
            });
        }

        if (type.Contains("bson", StringComparison.Ordinal))
        {
            return Decoded(status, () =>
            {
                using var reader = new Newtonsoft.Json.Bson.BsonDataReader(new MemoryStream(body));
                return Newtonsoft.Json.Linq.JToken.ReadFrom(reader).ToString(Newtonsoft.Json.Formatting.None);
            });
        }

        // A plain-text refusal, from an endpoint that is not an RPC wire (the WebSocket and event-stream endpoints
        // answer an ordinary request that way): documented, as long as it says something.
        if (type.StartsWith("text/plain", StringComparison.Ordinal) && (int)status is >= 400 and < 500 && body.Length > 0)
        {
            return Outcome.Refused;
        }

        return (int)status < 400
            ? Outcome.Answered
            : Outcome.Failed($"HTTP {(int)status} in {contentType}: {Short(System.Text.Encoding.UTF8.GetString(body))}");
    }

    private static Outcome Decoded(HttpStatusCode status, Func<string> decode)
    {
        string json;
        try
        {
            json = decode();
        }
        catch (Exception exception)
        {
            return Outcome.Failed($"HTTP {(int)status}, an answer its own format cannot read: {exception.Message}");
        }

        return Json(status, json);
    }

    private static void Collect(JsonElement element, List<int> codes)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                    && error.TryGetProperty("code", out var code) && code.TryGetInt32(out var value))
                {
                    codes.Add(value);
                }

                if (element.TryGetProperty("batch", out var batch) && batch.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in batch.EnumerateObject())
                    {
                        Collect(entry.Value, codes);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, codes);
                }

                break;
        }
    }

    public static string Short(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
