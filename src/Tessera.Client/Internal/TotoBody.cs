using System.Buffers;
using System.Text.Json;
using Tessera.Wires.MessagePack;

namespace Tessera.Client;

/// <summary>Request bodies on the Toto envelope, as JSON or translated to MessagePack.</summary>
internal static class TotoBody
{
    private const string Json = "application/json";
    private const string MessagePack = "application/msgpack";

    public static (byte[] Body, string ContentType, string? Accept) Single(string method, ReadOnlyMemory<byte> parameters, TesseraBodyFormat format) =>
        Encode(writer => WireFormat.WriteTotoCall(writer, method, parameters), format);

    /// <summary><c>{"batch": {key: {"method", "parameters"}}}</c>; keys sort in the order the calls were added.</summary>
    public static (byte[] Body, string ContentType, string? Accept) Batch(IReadOnlyList<(string Key, string Method, ReadOnlyMemory<byte> Parameters)> calls, TesseraBodyFormat format) =>
        Encode(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("batch"u8);
            foreach (var (key, method, parameters) in calls)
            {
                writer.WritePropertyName(key);
                WireFormat.WriteTotoCall(writer, method, parameters);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }, format);

    private static (byte[], string, string?) Encode(Action<Utf8JsonWriter> write, TesseraBodyFormat format)
    {
        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json))
        {
            write(writer);
        }

        if (format == TesseraBodyFormat.Json)
        {
            return (json.WrittenSpan.ToArray(), Json, null);
        }

        using var document = JsonDocument.Parse(json.WrittenMemory);
        var packed = new ArrayBufferWriter<byte>(json.WrittenCount);
        JsonToMessagePack.Write(packed, document.RootElement);
        return (packed.WrittenSpan.ToArray(), MessagePack, MessagePack);
    }
}
