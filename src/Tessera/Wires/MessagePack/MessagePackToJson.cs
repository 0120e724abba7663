using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Tessera.Wires.MessagePack;

/// <summary>
/// Decodes one MessagePack value (https://github.com/msgpack/msgpack/blob/master/spec.md) into JSON: binary becomes a
/// base64 string, the timestamp extension an ISO 8601 string, integer map keys their decimal text. Anything JSON
/// cannot carry (NaN, other extensions, other keys), truncated input and trailing bytes are refused with the offset.
/// </summary>
internal ref struct MessagePackToJson
{
    private readonly ReadOnlySpan<byte> _input;
    private readonly int _maxDepth;
    private int _position;

    private MessagePackToJson(ReadOnlySpan<byte> input, int maxDepth)
    {
        _input = input;
        _maxDepth = maxDepth;
    }

    public static void Convert(ReadOnlySpan<byte> input, Utf8JsonWriter writer, int maxDepth)
    {
        var decoder = new MessagePackToJson(input, maxDepth);
        if (input.IsEmpty)
        {
            throw new MessagePackFormatException("The body is empty", 0);
        }

        decoder.WriteValue(writer, depth: 0);
        if (decoder._position != input.Length)
        {
            throw new MessagePackFormatException("Unexpected bytes after the value", decoder._position);
        }
    }

    private void WriteValue(Utf8JsonWriter writer, int depth)
    {
        var start = _position;
        var code = Take(1)[0];
        switch (code)
        {
            case <= 0x7f:
                writer.WriteNumberValue(code);
                return;
            case >= 0xe0:
                writer.WriteNumberValue((sbyte)code);
                return;
            case >= 0x80 and <= 0x8f:
                WriteMap(writer, code & 0x0f, depth);
                return;
            case >= 0x90 and <= 0x9f:
                WriteArray(writer, code & 0x0f, depth);
                return;
            case >= 0xa0 and <= 0xbf:
                WriteString(writer, code & 0x1f);
                return;
        }

        switch (code)
        {
            case 0xc0: writer.WriteNullValue(); break;
            case 0xc2: writer.WriteBooleanValue(false); break;
            case 0xc3: writer.WriteBooleanValue(true); break;
            case 0xc4: writer.WriteBase64StringValue(Take(Length(1))); break;
            case 0xc5: writer.WriteBase64StringValue(Take(Length(2))); break;
            case 0xc6: writer.WriteBase64StringValue(Take(Length(4))); break;
            case 0xc7: WriteExtension(writer, Length(1)); break;
            case 0xc8: WriteExtension(writer, Length(2)); break;
            case 0xc9: WriteExtension(writer, Length(4)); break;
            case 0xca: WriteFloat(writer, BinaryPrimitives.ReadSingleBigEndian(Take(4)), start); break;
            case 0xcb: WriteFloat(writer, BinaryPrimitives.ReadDoubleBigEndian(Take(8)), start); break;
            case 0xcc: writer.WriteNumberValue(Take(1)[0]); break;
            case 0xcd: writer.WriteNumberValue(BinaryPrimitives.ReadUInt16BigEndian(Take(2))); break;
            case 0xce: writer.WriteNumberValue(BinaryPrimitives.ReadUInt32BigEndian(Take(4))); break;
            case 0xcf: writer.WriteNumberValue(BinaryPrimitives.ReadUInt64BigEndian(Take(8))); break;
            case 0xd0: writer.WriteNumberValue((sbyte)Take(1)[0]); break;
            case 0xd1: writer.WriteNumberValue(BinaryPrimitives.ReadInt16BigEndian(Take(2))); break;
            case 0xd2: writer.WriteNumberValue(BinaryPrimitives.ReadInt32BigEndian(Take(4))); break;
            case 0xd3: writer.WriteNumberValue(BinaryPrimitives.ReadInt64BigEndian(Take(8))); break;
            case 0xd4: WriteExtension(writer, 1); break;
            case 0xd5: WriteExtension(writer, 2); break;
            case 0xd6: WriteExtension(writer, 4); break;
            case 0xd7: WriteExtension(writer, 8); break;
            case 0xd8: WriteExtension(writer, 16); break;
            case 0xd9: WriteString(writer, Length(1)); break;
            case 0xda: WriteString(writer, Length(2)); break;
            case 0xdb: WriteString(writer, Length(4)); break;
            case 0xdc: WriteArray(writer, Length(2), depth); break;
            case 0xdd: WriteArray(writer, Length(4), depth); break;
            case 0xde: WriteMap(writer, Length(2), depth); break;
            case 0xdf: WriteMap(writer, Length(4), depth); break;
            default: throw new MessagePackFormatException($"0x{code:x2} is not a MessagePack type", start);
        }
    }

    private void WriteArray(Utf8JsonWriter writer, int count, int depth)
    {
        Nest(depth, count, minimumBytesEach: 1);
        writer.WriteStartArray();
        for (var i = 0; i < count; i++)
        {
            WriteValue(writer, depth + 1);
        }

        writer.WriteEndArray();
    }

    private void WriteMap(Utf8JsonWriter writer, int count, int depth)
    {
        Nest(depth, count, minimumBytesEach: 2);
        writer.WriteStartObject();
        for (var i = 0; i < count; i++)
        {
            writer.WritePropertyName(ReadKey());
            WriteValue(writer, depth + 1);
        }

        writer.WriteEndObject();
    }

    /// <summary>Map keys: strings, or integers written as their decimal text.</summary>
    private string ReadKey()
    {
        var start = _position;
        var code = Take(1)[0];
        return code switch
        {
            >= 0xa0 and <= 0xbf => Utf8String(code & 0x1f),
            0xd9 => Utf8String(Length(1)),
            0xda => Utf8String(Length(2)),
            0xdb => Utf8String(Length(4)),
            <= 0x7f => code.ToString(CultureInfo.InvariantCulture),
            >= 0xe0 => ((sbyte)code).ToString(CultureInfo.InvariantCulture),
            0xcc => Take(1)[0].ToString(CultureInfo.InvariantCulture),
            0xcd => BinaryPrimitives.ReadUInt16BigEndian(Take(2)).ToString(CultureInfo.InvariantCulture),
            0xce => BinaryPrimitives.ReadUInt32BigEndian(Take(4)).ToString(CultureInfo.InvariantCulture),
            0xd0 => ((sbyte)Take(1)[0]).ToString(CultureInfo.InvariantCulture),
            0xd1 => BinaryPrimitives.ReadInt16BigEndian(Take(2)).ToString(CultureInfo.InvariantCulture),
            0xd2 => BinaryPrimitives.ReadInt32BigEndian(Take(4)).ToString(CultureInfo.InvariantCulture),
            _ => throw new MessagePackFormatException("A map key must be a string or an integer to become JSON", start),
        };
    }

    private void WriteString(Utf8JsonWriter writer, int length) => writer.WriteStringValue(Utf8String(length));

    private string Utf8String(int length)
    {
        var start = _position;
        var bytes = Take(length);
        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : throw new MessagePackFormatException("A string is not valid UTF-8", start);
    }

    /// <summary>The timestamp extension (type -1) in its three sizes; other extensions have no JSON form.</summary>
    private void WriteExtension(Utf8JsonWriter writer, int length)
    {
        var start = _position;
        var type = (sbyte)Take(1)[0];
        var data = Take(length);
        if (type != -1)
        {
            throw new MessagePackFormatException($"Extension type {type} is not supported; only the timestamp (-1) is", start);
        }

        (long seconds, long nanoseconds) = length switch
        {
            4 => (BinaryPrimitives.ReadUInt32BigEndian(data), 0L),
            8 => ((long)(BinaryPrimitives.ReadUInt64BigEndian(data) & 0x3_FFFF_FFFFUL), (long)(BinaryPrimitives.ReadUInt64BigEndian(data) >> 34)),
            12 => (BinaryPrimitives.ReadInt64BigEndian(data[4..]), BinaryPrimitives.ReadUInt32BigEndian(data)),
            _ => throw new MessagePackFormatException($"A timestamp of {length} bytes is not valid", start),
        };
        if (nanoseconds > 999_999_999 || seconds < -62_135_596_800 || seconds > 253_402_300_799)
        {
            throw new MessagePackFormatException("The timestamp is out of range", start);
        }

        var time = DateTimeOffset.UnixEpoch.AddSeconds(seconds).AddTicks(nanoseconds / 100);
        writer.WriteStringValue(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
    }

    private static void WriteFloat(Utf8JsonWriter writer, double value, int start)
    {
        if (!double.IsFinite(value))
        {
            throw new MessagePackFormatException("NaN and infinities have no JSON form", start);
        }

        writer.WriteNumberValue(value);
    }

    private readonly void Nest(int depth, int count, int minimumBytesEach)
    {
        if (depth >= _maxDepth)
        {
            throw new MessagePackFormatException($"The value is nested deeper than {_maxDepth}", _position);
        }

        // Each element needs at least one byte: a count the input cannot hold is a lie, refused before any work.
        if ((long)count * minimumBytesEach > _input.Length - _position)
        {
            throw new MessagePackFormatException($"A collection claims {count} elements but the input is truncated", _position);
        }
    }

    private int Length(int bytes)
    {
        var start = _position;
        var field = Take(bytes);
        var length = bytes switch
        {
            1 => field[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(field),
            _ => BinaryPrimitives.ReadUInt32BigEndian(field),
        };
        return length <= int.MaxValue ? (int)length : throw new MessagePackFormatException("A length is too large", start);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _input.Length - _position)
        {
            throw new MessagePackFormatException("The input is truncated", _position);
        }

        var taken = _input.Slice(_position, count);
        _position += count;
        return taken;
    }
}
