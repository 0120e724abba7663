using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Tessera.Wires.MessagePack;

/// <summary>
/// Encodes JSON values as MessagePack, each in its smallest form: integers as fixint, uint or int of the fewest bytes,
/// other numbers as float64, strings, arrays and maps with the shortest headers. The top-level member named
/// <c>binaryMember</c> (the result of a <c>byte[]</c> method, base64 in JSON) is written as bin.
/// </summary>
internal static class JsonToMessagePack
{
    public static void Write(IBufferWriter<byte> output, JsonElement value, string? binaryMember = null) =>
        Write(output, value, binaryMember, asBinary: false);

    private static void Write(IBufferWriter<byte> output, JsonElement value, string? binaryMember, bool asBinary)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                Put(output, 0xc0);
                break;
            case JsonValueKind.True:
                Put(output, 0xc3);
                break;
            case JsonValueKind.False:
                Put(output, 0xc2);
                break;
            case JsonValueKind.Number when value.TryGetInt64(out var integer):
                WriteInteger(output, integer);
                break;
            case JsonValueKind.Number when value.TryGetUInt64(out var large):
                Put64(output, 0xcf, large);
                break;
            case JsonValueKind.Number:
                Put64(output, 0xcb, BitConverter.DoubleToUInt64Bits(value.GetDouble()));
                break;
            case JsonValueKind.String when asBinary && value.TryGetBytesFromBase64(out var bytes):
                WriteLength(output, bytes.Length, 0xc4, 0xc5, 0xc6);
                Copy(output, bytes);
                break;
            case JsonValueKind.String:
                WriteString(output, value.GetString()!);
                break;
            case JsonValueKind.Array:
                WriteCount(output, value.GetArrayLength(), fixBase: 0x90, code16: 0xdc, code32: 0xdd);
                foreach (var item in value.EnumerateArray())
                {
                    Write(output, item, binaryMember: null, asBinary: false);
                }

                break;
            case JsonValueKind.Object:
                // Counted by a first pass rather than a list: the object enumerator is a struct, a list is garbage.
                var count = 0;
                foreach (var _ in value.EnumerateObject())
                {
                    count++;
                }

                WriteCount(output, count, fixBase: 0x80, code16: 0xde, code32: 0xdf);
                foreach (var property in value.EnumerateObject())
                {
                    WriteString(output, property.Name);
                    Write(output, property.Value, binaryMember: null, asBinary: binaryMember is not null && property.NameEquals(binaryMember));
                }

                break;
        }
    }

    private static void WriteInteger(IBufferWriter<byte> output, long value)
    {
        switch (value)
        {
            case >= 0 and <= 0x7f: Put(output, (byte)value); break;
            case >= -32 and < 0: Put(output, (byte)(sbyte)value); break;
            case >= 0 and <= byte.MaxValue: Put8(output, 0xcc, (byte)value); break;
            case >= 0 and <= ushort.MaxValue: Put16(output, 0xcd, (ushort)value); break;
            case >= 0 and <= uint.MaxValue: Put32(output, 0xce, (uint)value); break;
            case >= 0: Put64(output, 0xcf, (ulong)value); break;
            case >= sbyte.MinValue: Put8(output, 0xd0, (byte)(sbyte)value); break;
            case >= short.MinValue: Put16(output, 0xd1, (ushort)(short)value); break;
            case >= int.MinValue: Put32(output, 0xd2, (uint)(int)value); break;
            default: Put64(output, 0xd3, (ulong)value); break;
        }
    }

    private static void WriteString(IBufferWriter<byte> output, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        if (length <= 31)
        {
            Put(output, (byte)(0xa0 | length));
        }
        else
        {
            WriteLength(output, length, 0xd9, 0xda, 0xdb);
        }

        var span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(text, span);
        output.Advance(length);
    }

    private static void WriteCount(IBufferWriter<byte> output, int count, byte fixBase, byte code16, byte code32)
    {
        if (count <= 15)
        {
            Put(output, (byte)(fixBase | count));
        }
        else if (count <= ushort.MaxValue)
        {
            Put16(output, code16, (ushort)count);
        }
        else
        {
            Put32(output, code32, (uint)count);
        }
    }

    private static void WriteLength(IBufferWriter<byte> output, int length, byte code8, byte code16, byte code32)
    {
        if (length <= byte.MaxValue)
        {
            Put8(output, code8, (byte)length);
        }
        else if (length <= ushort.MaxValue)
        {
            Put16(output, code16, (ushort)length);
        }
        else
        {
            Put32(output, code32, (uint)length);
        }
    }

    private static void Put(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void Copy(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static void Put8(IBufferWriter<byte> output, byte code, byte value)
    {
        var span = output.GetSpan(2);
        span[0] = code;
        span[1] = value;
        output.Advance(2);
    }

    private static void Put16(IBufferWriter<byte> output, byte code, ushort value)
    {
        var span = output.GetSpan(3);
        span[0] = code;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], value);
        output.Advance(3);
    }

    private static void Put32(IBufferWriter<byte> output, byte code, uint value)
    {
        var span = output.GetSpan(5);
        span[0] = code;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], value);
        output.Advance(5);
    }

    private static void Put64(IBufferWriter<byte> output, byte code, ulong value)
    {
        var span = output.GetSpan(9);
        span[0] = code;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], value);
        output.Advance(9);
    }
}
