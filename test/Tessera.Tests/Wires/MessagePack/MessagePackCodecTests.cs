using Tessera.Buffers;
using Tessera.Dispatch;
using Tessera.Wires.Http;
using Tessera.Wires.MessagePack;

namespace Tessera.Tests.Wires.MessagePack;

/// <summary>The codec against byte sequences written from the MessagePack specification, and against bad input.</summary>
public sealed class MessagePackCodecTests
{
    private static string Decode(params byte[] bytes)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            MessagePackToJson.Convert(bytes, writer, maxDepth: 64);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenMemory.Span);
    }

    private static byte[] Encode(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new PooledBufferWriter();
        JsonToMessagePack.Write(buffer, document.RootElement);
        return buffer.WrittenMemory.ToArray();
    }

    public static TheoryData<byte[], string> SpecificationValues => new()
    {
        { [0x00], "0" },
        { [0x7f], "127" },                                   // positive fixint
        { [0xe0], "-32" },                                   // negative fixint
        { [0xff], "-1" },
        { [0xc0], "null" },
        { [0xc2], "false" },
        { [0xc3], "true" },
        { [0xcc, 0xff], "255" },                              // uint 8
        { [0xcd, 0x01, 0x00], "256" },                        // uint 16
        { [0xce, 0x00, 0x01, 0x00, 0x00], "65536" },          // uint 32
        { [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "18446744073709551615" }, // uint 64
        { [0xd0, 0x80], "-128" },                             // int 8
        { [0xd1, 0x80, 0x00], "-32768" },                     // int 16
        { [0xd2, 0x80, 0x00, 0x00, 0x00], "-2147483648" },    // int 32
        { [0xd3, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], "-9223372036854775808" }, // int 64
        { [0xca, 0x3f, 0xc0, 0x00, 0x00], "1.5" },            // float 32
        { [0xcb, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18], "3.141592653589793" }, // float 64
        { [0xa0], "\"\"" },                                   // fixstr, empty
        { [0xa5, 0x68, 0x65, 0x6c, 0x6c, 0x6f], "\"hello\"" },
        { [0xd9, 0x02, 0xc3, 0xa9], "\"\\u00E9\"" },          // str 8, UTF-8
        { [0xda, 0x00, 0x01, 0x41], "\"A\"" },                // str 16
        { [0xdb, 0x00, 0x00, 0x00, 0x01, 0x42], "\"B\"" },    // str 32
        { [0xc4, 0x03, 0x01, 0x02, 0x03], "\"AQID\"" },       // bin 8
        { [0xc5, 0x00, 0x01, 0xff], "\"/w==\"" },             // bin 16
        { [0xc6, 0x00, 0x00, 0x00, 0x00], "\"\"" },           // bin 32, empty
        { [0x90], "[]" },                                     // fixarray
        { [0x93, 0x01, 0x02, 0x03], "[1,2,3]" },
        { [0xdc, 0x00, 0x02, 0xc3, 0xc2], "[true,false]" },   // array 16
        { [0xdd, 0x00, 0x00, 0x00, 0x01, 0xc0], "[null]" },   // array 32
        { [0x80], "{}" },                                     // fixmap
        { [0x82, 0xa1, 0x61, 0x01, 0xa1, 0x62, 0x92, 0x02, 0x03], "{\"a\":1,\"b\":[2,3]}" },
        { [0xde, 0x00, 0x01, 0xa1, 0x6b, 0xc0], "{\"k\":null}" }, // map 16
        { [0xdf, 0x00, 0x00, 0x00, 0x01, 0x01, 0xa1, 0x76], "{\"1\":\"v\"}" }, // map 32 with an integer key
        { [0xd6, 0xff, 0x00, 0x00, 0x00, 0x00], "\"1970-01-01T00:00:00Z\"" }, // timestamp 32
        { [0xd6, 0xff, 0x5a, 0x4a, 0xf6, 0x80], "\"2018-01-02T03:03:28Z\"" },
        { [0xd7, 0xff, 0x00, 0x00, 0x01, 0x90, 0x5a, 0x4a, 0xf6, 0x80], "\"2018-01-02T03:03:28.0000001Z\"" }, // timestamp 64, 100 ns
        { [0xc7, 0x0c, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "\"1969-12-31T23:59:59Z\"" }, // timestamp 96
    };

    [Theory]
    [MemberData(nameof(SpecificationValues))]
    public void Decode_SpecificationBytes_GiveTheJsonValue(byte[] bytes, string json) => Assert.Equal(json, Decode(bytes));

    public static TheoryData<string, byte[]> SmallestEncodings => new()
    {
        { "0", [0x00] },
        { "127", [0x7f] },
        { "128", [0xcc, 0x80] },
        { "256", [0xcd, 0x01, 0x00] },
        { "65536", [0xce, 0x00, 0x01, 0x00, 0x00] },
        { "4294967296", [0xcf, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00] },
        { "-1", [0xff] },
        { "-32", [0xe0] },
        { "-33", [0xd0, 0xdf] },
        { "-129", [0xd1, 0xff, 0x7f] },
        { "-32769", [0xd2, 0xff, 0xff, 0x7f, 0xff] },
        { "-2147483649", [0xd3, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff] },
        { "18446744073709551615", [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] },
        { "1.5", [0xcb, 0x3f, 0xf8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00] },
        { "null", [0xc0] },
        { "true", [0xc3] },
        { "\"a\"", [0xa1, 0x61] },
        { "[]", [0x90] },
        { "{}", [0x80] },
        { "{\"a\":[1]}", [0x81, 0xa1, 0x61, 0x91, 0x01] },
    };

    [Theory]
    [MemberData(nameof(SmallestEncodings))]
    public void Encode_UsesTheSmallestForm(string json, byte[] expected) => Assert.Equal(expected, Encode(json));

    [Fact]
    public void Encode_LongStringsArraysAndMaps_UseTheirWiderHeaders()
    {
        var text = Encode("\"" + new string('x', 32) + "\"");
        var longText = Encode("\"" + new string('x', 256) + "\"");
        var array = Encode("[" + string.Join(",", Enumerable.Repeat("1", 16)) + "]");
        var map = Encode("{" + string.Join(",", Enumerable.Range(0, 16).Select(i => $"\"k{i}\":0")) + "}");

        Assert.Equal([0xd9, 0x20], text[..2]);
        Assert.Equal([0xda, 0x01, 0x00], longText[..3]);
        Assert.Equal([0xdc, 0x00, 0x10], array[..3]);
        Assert.Equal([0xde, 0x00, 0x10], map[..3]);
    }

    [Fact]
    public void Encode_MarkedMember_IsBinary()
    {
        using var document = JsonDocument.Parse("""{"result":"AQID","other":"AQID"}""");
        using var buffer = new PooledBufferWriter();

        JsonToMessagePack.Write(buffer, document.RootElement, binaryMember: "result");

        Assert.Equal([0x82, 0xa6, .. "result"u8, 0xc4, 0x03, 0x01, 0x02, 0x03, 0xa5, .. "other"u8, 0xa4, .. "AQID"u8], buffer.WrittenMemory.ToArray());
    }

    [Theory]
    [InlineData("{\"s\":\"é😀\",\"n\":[1,-1,300,-300,70000,2.25,null,true,false],\"m\":{\"deep\":{\"x\":\"\"}}}")]
    [InlineData("[9223372036854775807,-9223372036854775808]")]
    public void RoundTrip_JsonThroughMessagePack_IsUnchanged(string json) =>
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement), Decode(Encode(json)));

    public static TheoryData<byte[], string> MalformedInputs => new()
    {
        { [], "The body is empty" },
        { [0xc1], "0xc1 is not a MessagePack type" },
        { [0xcd, 0x01], "The input is truncated" },
        { [0xa5, 0x68], "The input is truncated" },
        { [0xc4, 0x05, 0x01], "The input is truncated" },
        { [0xdd, 0xff, 0xff, 0xff, 0xff], "A length is too large" },
        { [0xdf, 0x7f, 0xff, 0xff, 0xff, 0x01], "A collection claims 2147483647 elements" },
        { [0xa2, 0xc3, 0x28], "A string is not valid UTF-8" },
        { [0x81, 0xc3, 0x01], "A map key must be a string or an integer" },
        { [0xcb, 0x7f, 0xf8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], "NaN and infinities have no JSON form" },
        { [0xd4, 0x01, 0x00], "Extension type 1 is not supported" },
        { [0xd5, 0xff, 0x00, 0x00], "A timestamp of 2 bytes is not valid" },
        { [0x01, 0x02], "Unexpected bytes after the value" },
    };

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Decode_MalformedInput_IsRefusedWithTheReasonAndOffset(byte[] bytes, string reason)
    {
        var failure = Assert.Throws<MessagePackFormatException>(() => Decode(bytes));

        Assert.StartsWith(reason, failure.Message);
        Assert.Contains("(at byte ", failure.Message);
    }

    [Fact]
    public void Decode_NestingDeeperThanTheLimit_IsRefused()
    {
        var deep = Enumerable.Repeat((byte)0x91, 100).Append((byte)0x01).ToArray();

        var failure = Assert.Throws<MessagePackFormatException>(() => Decode(deep));

        Assert.StartsWith("The value is nested deeper than 64", failure.Message);
    }
}
