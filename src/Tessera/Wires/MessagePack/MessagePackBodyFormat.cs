using Tessera.Dispatch;
using System.Text.Json;

namespace Tessera.Wires.MessagePack;

/// <summary>MessagePack bodies (<c>application/msgpack</c>) on the Toto endpoint, through the project's own codec.</summary>
internal sealed class MessagePackBodyFormat : IBodyFormat
{
    public string MediaType => "application/msgpack";

    public byte[] ToJson(ReadOnlySpan<byte> body, int maxDepth)
    {
        using var buffer = new PooledBufferWriter();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                MessagePackToJson.Convert(body, writer, maxDepth);
            }
        }
        catch (MessagePackFormatException exception)
        {
            throw new FormatException(exception.Message, exception);
        }

        return buffer.WrittenMemory.ToArray();
    }

    public byte[] FromJson(ReadOnlySpan<byte> json, bool binaryResult)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        using var buffer = new PooledBufferWriter();
        JsonToMessagePack.Write(buffer, document.RootElement, binaryResult ? "result" : null);
        return buffer.WrittenMemory.ToArray();
    }
}
