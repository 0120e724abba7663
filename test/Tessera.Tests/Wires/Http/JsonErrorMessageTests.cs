using System.Text.Json;
using Tessera.Wires.Http;

namespace Tessera.Tests.Wires.Http;

/// <summary>What a client is told about a JSON body the parser refused: the right reason, and where.</summary>
public sealed class JsonErrorMessageTests
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 4, AllowDuplicateProperties = false };

    private static string Describe(string body)
    {
        var failure = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body, Options).Dispose());
        return HttpWire.DescribeJsonError(failure, Options.MaxDepth, System.Text.Encoding.UTF8.GetBytes(body));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":""")]
    [InlineData("""{"method":"math.add","parameters":{"a":1""")]
    [InlineData("[1,2")]
    public void ABodyCutShort_IsSaidToEndTooSoon_NotToBeTooDeep(string body) =>
        Assert.StartsWith("The request body is not valid JSON: it ends before every object and array in it is closed", Describe(body));

    [Theory]
    [InlineData("[[[[[1]]]]]")]
    [InlineData("[[[[[[[[[[[[")]
    [InlineData("""{"a":{"b":{"c":{"d":{"e":1}}}}}""")]
    public void ABodyNestedTooDeep_NamesTheLimitAndItsOption(string body) =>
        Assert.StartsWith("The request body is nested deeper than the maximum configured depth of 4 (option max_json_depth)", Describe(body));

    [Fact]
    public void ADuplicateMember_IsNamedAsSuch() =>
        Assert.StartsWith("The request body names the same member twice in one object", Describe("""{"a":1,"a":2}"""));

    [Theory]
    [InlineData("""{"a":tru}""")]
    [InlineData("""{"a" 1}""")]
    [InlineData("[[[[x]]]]")]
    public void OtherSyntaxErrors_AreNotValidJson_WithTheirPlace(string body) =>
        Assert.Matches(@"^The request body is not valid JSON \(line 1, byte \d+\)\.$", Describe(body));
}
