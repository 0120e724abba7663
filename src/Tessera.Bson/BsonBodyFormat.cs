using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Bson;
using Newtonsoft.Json.Linq;

namespace Tessera.Bson;

/// <summary>
/// BSON bodies, translated to and from JSON through Newtonsoft's token model. Only <see cref="JToken"/>s are read, never
/// .NET types named by the input, so a body cannot make the server instantiate anything.
/// </summary>
internal sealed class BsonBodyFormat : IBodyFormat
{
    public string MediaType => "application/bson";

    public byte[] ToJson(ReadOnlySpan<byte> body, int maxDepth)
    {
        // Lengths are checked against the body first: the reader below trusts them and allocates what they declare.
        BsonStructure.Validate(body, maxDepth);
        using var stream = new MemoryStream(body.ToArray(), writable: false);
        try
        {
            // CloseInput = false: the catch below reads the stream's position after the reader is gone.
            using var reader = new BsonDataReader(stream) { MaxDepth = maxDepth, DateTimeKindHandling = DateTimeKind.Utc, CloseInput = false };
            var document = JToken.ReadFrom(reader);
            if (stream.Position != stream.Length)
            {
                throw new FormatException($"unexpected bytes after the document at byte {stream.Position}.");
            }

            return Encoding.UTF8.GetBytes(document.ToString(Formatting.None));
        }
        catch (Exception exception) when (exception is JsonException or EndOfStreamException or IOException or ArgumentException)
        {
            // The reader's own text names its internals; the client is told what is wrong in Tessera's words.
            throw new FormatException($"the document could not be read (near byte {stream.Position}).", exception);
        }
    }

    public byte[] FromJson(ReadOnlySpan<byte> json, bool binaryResult)
    {
        // Strings stay strings: nothing that merely looks like a date is turned into one.
        using var text = new StringReader(Encoding.UTF8.GetString(json));
        using var reader = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None };
        var answer = (JObject)JToken.ReadFrom(reader);
        if (binaryResult && answer["result"] is JValue { Type: JTokenType.String } result)
        {
            answer["result"] = new JValue(Convert.FromBase64String((string)result!));
        }

        using var stream = new MemoryStream();
        using (var writer = new BsonDataWriter(stream))
        {
            answer.WriteTo(writer);
        }

        return stream.ToArray();
    }
}
