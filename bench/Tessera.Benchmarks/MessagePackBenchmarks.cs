using System.Buffers;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using MessagePack;
using Tessera.Buffers;
using Tessera.Dispatch;
using Tessera.Wires.MessagePack;

namespace Tessera.Benchmarks;

/// <summary>
/// The decision of issue 12: Tessera's own MessagePack codec against the MessagePack library (2.5.307) on the envelope
/// path, both directions, at two sizes. "Library reader/writer" is the same JSON translation written on the library's
/// MessagePackReader and MessagePackWriter (what a switch would ship, since the codec must keep bin results and the
/// timestamp rules); "library Convert" is its ready-made MessagePackSerializer.ConvertToJson / ConvertFromJson.
/// </summary>
[MemoryDiagnoser]
public class MessagePackBenchmarks
{
    private byte[] _msgpack = [];
    private byte[] _json = [];

    [Params("envelope", "100 rows")]
    public string Payload { get; set; } = "envelope";

    [GlobalSetup]
    public void Setup()
    {
        var json = Payload == "envelope"
            ? """{"method":"greeting.hello","parameters":{"name":"ada","tags":["a","b"],"count":3,"ratio":1.5,"ok":true,"note":null}}"""
            : "{\"result\":[" + string.Join(",", Enumerable.Range(0, 100).Select(i =>
                $$"""{"id":{{i}},"user_id":"user{{i}}","message":"hello number {{i}}","score":{{i}}.25,"seen":{{(i % 2 == 0 ? "true" : "false")}}}""")) + "]}";
        _json = System.Text.Encoding.UTF8.GetBytes(json);
        _msgpack = TesseraFromJson();
        if (!TesseraToJson().AsSpan().SequenceEqual(LibraryReaderToJson()) || !_msgpack.AsSpan().SequenceEqual(LibraryWriterFromJson()))
        {
            throw new InvalidOperationException("The two codecs disagree; the comparison would be meaningless.");
        }
    }

    [Benchmark(Baseline = true)]
    public byte[] TesseraToJson()
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            MessagePackToJson.Convert(_msgpack, writer, maxDepth: 64);
        }

        return buffer.WrittenMemory.ToArray();
    }

    [Benchmark]
    public byte[] LibraryReaderToJson()
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var reader = new MessagePackReader(_msgpack);
            LibraryCodec.WriteValue(ref reader, writer, depth: 0);
        }

        return buffer.WrittenMemory.ToArray();
    }

    [Benchmark]
    public string LibraryConvertToJson() => MessagePackSerializer.ConvertToJson(_msgpack);

    [Benchmark]
    public byte[] TesseraFromJson()
    {
        using var document = JsonDocument.Parse(_json);
        using var buffer = new PooledBufferWriter();
        JsonToMessagePack.Write(buffer, document.RootElement);
        return buffer.WrittenMemory.ToArray();
    }

    [Benchmark]
    public byte[] LibraryWriterFromJson()
    {
        using var document = JsonDocument.Parse(_json);
        using var buffer = new PooledBufferWriter();
        var writer = new MessagePackWriter(buffer);
        LibraryCodec.Write(ref writer, document.RootElement);
        writer.Flush();
        return buffer.WrittenMemory.ToArray();
    }

    [Benchmark]
    public byte[] LibraryConvertFromJson() => MessagePackSerializer.ConvertFromJson(System.Text.Encoding.UTF8.GetString(_json));

    /// <summary>Tessera's JSON translation on the library's reader and writer.</summary>
    private static class LibraryCodec
    {
        public static void WriteValue(ref MessagePackReader reader, Utf8JsonWriter writer, int depth)
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Nil:
                    reader.ReadNil();
                    writer.WriteNullValue();
                    break;
                case MessagePackType.Boolean:
                    writer.WriteBooleanValue(reader.ReadBoolean());
                    break;
                case MessagePackType.Integer:
                    if (reader.NextCode == MessagePackCode.UInt64)
                    {
                        writer.WriteNumberValue(reader.ReadUInt64());
                    }
                    else
                    {
                        writer.WriteNumberValue(reader.ReadInt64());
                    }

                    break;
                case MessagePackType.Float:
                    writer.WriteNumberValue(reader.ReadDouble());
                    break;
                case MessagePackType.String:
                    writer.WriteStringValue(reader.ReadString());
                    break;
                case MessagePackType.Binary:
                    writer.WriteBase64StringValue(reader.ReadBytes()!.Value.ToArray());
                    break;
                case MessagePackType.Array:
                    var count = reader.ReadArrayHeader();
                    writer.WriteStartArray();
                    for (var i = 0; i < count; i++)
                    {
                        WriteValue(ref reader, writer, depth + 1);
                    }

                    writer.WriteEndArray();
                    break;
                case MessagePackType.Map:
                    var members = reader.ReadMapHeader();
                    writer.WriteStartObject();
                    for (var i = 0; i < members; i++)
                    {
                        writer.WritePropertyName(reader.NextMessagePackType == MessagePackType.Integer
                            ? reader.ReadInt64().ToString(CultureInfo.InvariantCulture)
                            : reader.ReadString()!);
                        WriteValue(ref reader, writer, depth + 1);
                    }

                    writer.WriteEndObject();
                    break;
                default:
                    writer.WriteStringValue(reader.ReadDateTime().ToString("O", CultureInfo.InvariantCulture));
                    break;
            }
        }

        public static void Write(ref MessagePackWriter writer, JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    writer.WriteNil();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    writer.Write(value.GetBoolean());
                    break;
                case JsonValueKind.Number when value.TryGetInt64(out var integer):
                    writer.Write(integer);
                    break;
                case JsonValueKind.Number when value.TryGetUInt64(out var large):
                    writer.Write(large);
                    break;
                case JsonValueKind.Number:
                    writer.Write(value.GetDouble());
                    break;
                case JsonValueKind.String:
                    writer.Write(value.GetString());
                    break;
                case JsonValueKind.Array:
                    writer.WriteArrayHeader(value.GetArrayLength());
                    foreach (var item in value.EnumerateArray())
                    {
                        Write(ref writer, item);
                    }

                    break;
                case JsonValueKind.Object:
                    var count = 0;
                    foreach (var _ in value.EnumerateObject())
                    {
                        count++;
                    }

                    writer.WriteMapHeader(count);
                    foreach (var property in value.EnumerateObject())
                    {
                        writer.Write(property.Name);
                        Write(ref writer, property.Value);
                    }

                    break;
            }
        }
    }
}
