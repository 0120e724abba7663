using Newtonsoft.Json.Bson;
using Newtonsoft.Json.Linq;

namespace Tessera.Bson.Tests;

/// <summary>
/// The structure check that runs before Newtonsoft's reader: every well-formed document passes, and every declared
/// length that lies, every missing terminator and every non-finite double is refused with a FormatException.
/// </summary>
public sealed class BsonStructureTests
{
    private const int MaxDepth = 64;

    [Theory]
    [InlineData("""{"method":"math.add","parameters":{"a":1,"b":2}}""")]
    [InlineData("""{"list":[1,"two",3.5,true,null,{"x":[[]]}],"long":9000000000}""")]
    [InlineData("""{}""")]
    public void WellFormedDocument_Passes(string json)
    {
        BsonStructure.Validate(Bson(JObject.Parse(json)), MaxDepth);
    }

    [Fact]
    public void BinaryDatesAndObjectIds_Pass()
    {
        var document = new JObject
        {
            ["bytes"] = new JValue(new byte[] { 1, 2, 3 }),
            ["when"] = new JValue(new DateTime(2026, 11, 29, 0, 0, 0, DateTimeKind.Utc)),
        };

        BsonStructure.Validate(Bson(document), MaxDepth);
    }

    [Fact]
    public void BinaryDeclaringMoreBytesThanTheBodyHas_IsRefused()
    {
        var body = Bson(new JObject { ["b"] = new JValue(new byte[] { 1, 2, 3, 4 }) });
        // The binary's length field follows the type byte and the name "b\0" after the document's own length.
        BitConverter.GetBytes(0x3FFFFFF0).CopyTo(body, 4 + 1 + 2);

        var error = Assert.Throws<FormatException>(() => BsonStructure.Validate(body, MaxDepth));
        Assert.Contains("declares 1073741808 bytes", error.Message);
    }

    [Fact]
    public void DocumentLengthLargerThanTheBody_IsRefused()
    {
        var body = Bson(new JObject { ["a"] = 1 });
        BitConverter.GetBytes(int.MaxValue).CopyTo(body, 0);

        Assert.Throws<FormatException>(() => BsonStructure.Validate(body, MaxDepth));
    }

    [Fact]
    public void StringWithoutItsTerminator_IsRefused()
    {
        var body = Bson(new JObject { ["s"] = "abc" });
        body[^2] = (byte)'x';

        var error = Assert.Throws<FormatException>(() => BsonStructure.Validate(body, MaxDepth));
        Assert.Contains("does not end with a zero byte", error.Message);
    }

    [Fact]
    public void TrailingBytes_AreRefused()
    {
        byte[] body = [.. Bson(new JObject { ["a"] = 1 }), 0];

        var error = Assert.Throws<FormatException>(() => BsonStructure.Validate(body, MaxDepth));
        Assert.Contains("unexpected bytes after the document", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteDouble_IsRefused(double value)
    {
        var error = Assert.Throws<FormatException>(() => BsonStructure.Validate(Bson(new JObject { ["x"] = value }), MaxDepth));
        Assert.Contains("not a finite number", error.Message);
    }

    [Fact]
    public void NestingPastTheLimit_IsRefused()
    {
        JToken inner = new JObject();
        for (var i = 0; i < 10; i++)
        {
            inner = new JObject { ["d"] = inner };
        }

        var error = Assert.Throws<FormatException>(() => BsonStructure.Validate(Bson((JObject)inner), maxDepth: 5));
        Assert.Contains("nested deeper than 5 levels", error.Message);
    }

    [Fact]
    public void UnknownElementType_IsRefused()
    {
        var body = Bson(new JObject { ["a"] = 1 });
        body[4] = 0x42;

        var error = Assert.Throws<FormatException>(() => BsonStructure.Validate(body, MaxDepth));
        Assert.Contains("BSON does not define", error.Message);
    }

    [Fact]
    public void EveryTruncation_OfAValidDocument_IsRefusedWithAFormatException()
    {
        var whole = Bson(JObject.Parse("""{"method":"math.add","parameters":{"a":1,"b":[2,3]},"s":"text"}"""));
        for (var length = 0; length < whole.Length; length++)
        {
            var cut = whole[..length];
            Assert.Throws<FormatException>(() => BsonStructure.Validate(cut, MaxDepth));
        }
    }

    private static byte[] Bson(JObject document)
    {
        using var stream = new MemoryStream();
        using (var writer = new BsonDataWriter(stream))
        {
            document.WriteTo(writer);
        }

        return stream.ToArray();
    }
}
