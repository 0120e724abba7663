using System.Text.Json;
using Tessera.Buffers;

namespace Tessera.Wires.MessagePack;

/// <summary>
/// MessagePack bodies (<c>application/msgpack</c>) on the Toto endpoint, through the project's own codec. Measured
/// against the MessagePack library 2.5.307 (bench/results/messagepack.md, BenchmarkDotNet): reading an envelope the
/// library is 1.34x (its ConvertToJson, with 1.8x the allocation) to 1.53x (its reader under this translation) slower,
/// and on 100 rows and on the answer path it is no faster; so the codec stays, with no dependency and its own offsets in
/// every refusal.
/// </summary>
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
