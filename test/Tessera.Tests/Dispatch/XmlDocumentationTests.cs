using System.Xml.Linq;
using Tessera.Dispatch;

namespace Tessera.Tests.Dispatch;

/// <summary>Doc comments as the compiler writes them into the XML file, turned into the one line clients are shown.</summary>
public sealed class XmlDocumentationTests
{
    private static string? Clean(string summary) => XmlDocumentation.Clean(XElement.Parse($"<summary>{summary}</summary>"));

    [Theory]
    [InlineData("""Sends <paramref name="message"/> to <paramref name="userId"/>.""", "Sends message to user_id.")]
    [InlineData("""A list of <typeparamref name="TItem"/>.""", "A list of TItem.")]
    [InlineData("""Answers <see langword="null"/> when none.""", "Answers null when none.")]
    [InlineData("""Makes an <see cref="T:Acme.Orders.Order"/>.""", "Makes an Order.")]
    [InlineData("""Like <see cref="M:Acme.Box`1.Get(System.Int32)"/>.""", "Like Box.Get.")]
    [InlineData("""Reads <see cref="P:Acme.Order.Total"/> of a <see cref="T:System.Collections.Generic.List`1"/>.""", "Reads Order.Total of a List.")]
    [InlineData("""See <see href="https://example.com/a"/> or <see href="https://example.com/b">the guide</see>.""", "See https://example.com/a or the guide.")]
    [InlineData("""Returns <c>true</c> when <see cref="T:Acme.Order">the order</see> is paid.""", "Returns true when the order is paid.")]
    [InlineData("""An unresolved <see cref="!:Missing"/> reference.""", "An unresolved Missing reference.")]
    [InlineData("First.<para>Second.</para>Third.", "First. Second. Third.")]
    [InlineData("\n    Spread over\n    lines.\n    ", "Spread over lines.")]
    public void References_AreWrittenOut(string summary, string expected) => Assert.Equal(expected, Clean(summary));

    [Fact]
    public void EmptySummary_IsNone()
    {
        Assert.Null(Clean("   "));
        Assert.Null(XmlDocumentation.Clean(null));
    }
}
