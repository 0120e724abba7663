using System.Buffers.Binary;

namespace Tessera.Bson;

/// <summary>
/// Checks a BSON body's structure before any reader sees it: every declared length fits inside the bytes received,
/// strings and documents end where they say, nesting stays under the limit, and doubles are finite. One linear pass
/// over the body, allocating nothing, so a 63-byte body that declares a 1 GiB binary is refused at once instead of
/// making a reader allocate what it claims.
/// </summary>
internal static class BsonStructure
{
    public static void Validate(ReadOnlySpan<byte> body, int maxDepth)
    {
        var end = Document(body, 0, depth: 1, maxDepth);
        if (end != body.Length)
        {
            throw new FormatException($"unexpected bytes after the document at byte {end}.");
        }
    }

    /// <summary>Checks the document at <paramref name="start"/>; answers the offset just past it.</summary>
    private static int Document(ReadOnlySpan<byte> body, int start, int depth, int maxDepth)
    {
        if (depth > maxDepth)
        {
            throw new FormatException($"the documents are nested deeper than {maxDepth} levels.");
        }

        var length = Length(body, start, minimum: 5, "a document");
        var end = start + length;
        if (body[end - 1] != 0)
        {
            throw new FormatException($"the document at byte {start} does not end with a zero byte.");
        }

        var position = start + 4;
        while (position < end - 1)
        {
            var type = body[position++];
            position = CString(body, position, end, "an element name");
            position = Value(body, type, position, end, depth, maxDepth);
        }

        if (position != end - 1)
        {
            throw new FormatException($"an element overruns the document that starts at byte {start}.");
        }

        return end;
    }

    private static int Value(ReadOnlySpan<byte> body, byte type, int position, int end, int depth, int maxDepth)
    {
        switch (type)
        {
            case 0x01:
                Need(body, position, 8, end);
                var number = BinaryPrimitives.ReadDoubleLittleEndian(body[position..]);
                return double.IsFinite(number) ? position + 8 : throw new FormatException($"the double at byte {position} is not a finite number.");
            case 0x02 or 0x0D or 0x0E:
                return String(body, position, end);
            case 0x03 or 0x04:
                var inner = Document(body, position, depth + 1, maxDepth);
                return inner <= end ? inner : throw new FormatException($"a document at byte {position} overruns its parent.");
            case 0x05:
                var size = Length(body, position, minimum: 0, "a binary value", headerIncluded: false);
                Need(body, position, 5 + size, end);
                return position + 5 + size;
            case 0x06 or 0x0A or 0x7F or 0xFF:
                return position;
            case 0x07:
                Need(body, position, 12, end);
                return position + 12;
            case 0x08:
                Need(body, position, 1, end);
                return body[position] <= 1 ? position + 1 : throw new FormatException($"the boolean at byte {position} is neither 0 nor 1.");
            case 0x09 or 0x11 or 0x12:
                Need(body, position, 8, end);
                return position + 8;
            case 0x0B:
                return CString(body, CString(body, position, end, "a pattern"), end, "regular expression options");
            case 0x0C:
                var pointer = String(body, position, end);
                Need(body, pointer, 12, end);
                return pointer + 12;
            case 0x0F:
                var total = Length(body, position, minimum: 14, "code with scope");
                Need(body, position, total, end);
                var afterCode = String(body, position + 4, position + total);
                return Document(body, afterCode, depth + 1, maxDepth) == position + total
                    ? position + total
                    : throw new FormatException($"the code with scope at byte {position} has a wrong length.");
            case 0x10:
                Need(body, position, 4, end);
                return position + 4;
            case 0x13:
                Need(body, position, 16, end);
                return position + 16;
            default:
                throw new FormatException($"byte {position - 1} names an element type (0x{type:x2}) BSON does not define.");
        }
    }

    private static int String(ReadOnlySpan<byte> body, int position, int end)
    {
        var length = Length(body, position, minimum: 1, "a string", headerIncluded: false);
        Need(body, position, 4 + length, end);
        return body[position + 4 + length - 1] == 0
            ? position + 4 + length
            : throw new FormatException($"the string at byte {position} does not end with a zero byte.");
    }

    private static int CString(ReadOnlySpan<byte> body, int position, int end, string what)
    {
        var zero = position < end ? body[position..end].IndexOf((byte)0) : -1;
        return zero >= 0 ? position + zero + 1 : throw new FormatException($"{what} at byte {position} has no terminating zero byte.");
    }

    /// <summary>A declared int32 length, checked against the bytes that are actually there.</summary>
    private static int Length(ReadOnlySpan<byte> body, int position, int minimum, string what, bool headerIncluded = true)
    {
        if (position + 4 > body.Length)
        {
            throw new FormatException($"the body ends inside the length of {what} at byte {position}.");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(body[position..]);
        var available = body.Length - position - (headerIncluded ? 0 : 4);
        if (length < minimum || length > available)
        {
            throw new FormatException($"{what} at byte {position} declares {length} bytes; the body has {Math.Max(available, 0)} left.");
        }

        return length;
    }

    private static void Need(ReadOnlySpan<byte> body, int position, int count, int end)
    {
        if (count < 0 || position + count > end || position + count > body.Length)
        {
            throw new FormatException($"the value at byte {position} runs past the end of its document.");
        }
    }
}
