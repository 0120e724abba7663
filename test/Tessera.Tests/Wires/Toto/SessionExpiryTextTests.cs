using System.Globalization;
using System.Text.Json;
using Tessera.Wires.Toto;

namespace Tessera.Tests.Wires.Toto;

/// <summary>The session block's <c>expires</c>, written from integers, reads exactly as the double it stands for.</summary>
public sealed class SessionExpiryTextTests
{
    [Theory]
    [InlineData(1796639831775L, "1796639831.775")]
    [InlineData(1796639831700L, "1796639831.7")]
    [InlineData(1796639831070L, "1796639831.07")]
    [InlineData(1796639831000L, "1796639831")]
    [InlineData(5L, "0.005")]
    [InlineData(0L, "0")]
    public void KnownTimes_ReadAsTheirSecondsWithMilliseconds(long milliseconds, string expected)
    {
        Assert.Equal(expected, Write(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)));
    }

    [Fact]
    public void AnyTime_IsTheTextTheDoubleOfItsSecondsPrints()
    {
        var random = new Random(1729);
        for (var i = 0; i < 100_000; i++)
        {
            var milliseconds = random.NextInt64(0, 253_402_300_799_999L);
            var text = Write(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds));
            Assert.Equal((milliseconds / 1000.0).ToString("R", CultureInfo.InvariantCulture), text);
        }
    }

    [Fact]
    public void TimesBefore1970_StillWriteANumber()
    {
        Assert.Equal(-1.5, double.Parse(Write(DateTimeOffset.FromUnixTimeMilliseconds(-1500)), CultureInfo.InvariantCulture));
    }

    private static string Write(DateTimeOffset time)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            TotoResponseWriter.WriteUnixSeconds(writer, "expires"u8, time);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.GetProperty("expires").GetRawText();
    }
}
