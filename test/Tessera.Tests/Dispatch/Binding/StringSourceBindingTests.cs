using System.Net.Http.Headers;

namespace Tessera.Tests.Dispatch.Binding;

public sealed class StringSourceBindingTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() => _host = await Hosts.StartProbeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("probe/int?value=7", "7")]
    [InlineData("probe/double?value=-1.5", "-1.5")]
    [InlineData("probe/bool?value=true", "true")]
    [InlineData("probe/bool?value=0", "false")]
    [InlineData("probe/colour?value=dark_blue", "\"dark_blue\"")]
    [InlineData("probe/id?value=6f1d2c3a-0000-4000-8000-000000000001", "\"6f1d2c3a-0000-4000-8000-000000000001\"")]
    [InlineData("probe/ints?values=1&values=2&values=3", "[1,2,3]")]
    [InlineData("probe/ints?values=5", "[5]")]
    [InlineData("probe/words?values=a&values=b", "[\"a\",\"b\"]")]
    [InlineData("probe/optional?name=ada&times=3", "\"hi ada x3\"")]
    public async Task Query_StringValues_AreConvertedToTheDeclaredType(string url, string expected)
    {
        var response = await _host.Toto.GetAsync(url);

        Assert.Equal($$"""{"result":{{expected}}}""", response.Body);
    }

    [Fact]
    public async Task Query_UnconvertibleValue_Returns1003()
    {
        var response = await _host.Toto.GetAsync("probe/int?value=seven");

        Assert.Equal(1003, response.ErrorCode);
        Assert.Equal("Invalid parameters: 'value' must be an integer (int)", response.ErrorValue.GetString());
    }

    [Fact]
    public async Task Form_UrlEncodedFields_AreParameters()
    {
        var content = new FormUrlEncodedContent([new("first_name", "ada"), new("user_age", "36")]);

        var response = await _host.Toto.PostAsync("probe/two_words", content);

        Assert.Equal("ada:36", response.Result.GetString());
    }

    [Fact]
    public async Task Form_RepeatedField_IsAnArray()
    {
        var content = new FormUrlEncodedContent([new("values", "4"), new("values", "5")]);

        var response = await _host.Toto.PostAsync("probe/ints", content);

        Assert.Equal("[4,5]", response.Result.GetRawText());
    }

    [Fact]
    public async Task Form_MethodField_NamesTheMethodOnTheRoot()
    {
        var content = new FormUrlEncodedContent([new("method", "probe.int"), new("value", "9")]);

        var response = await _host.Toto.PostAsync("", content);

        Assert.Equal(9, response.Result.GetInt32());
    }

    [Fact]
    public async Task Multipart_FieldsAndFiles_BindToParameters()
    {
        using var content = new MultipartFormDataContent();
        content.Add(new StringContent("notes"), "label");
        var file = new ByteArrayContent("file body"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        content.Add(file, "file", "a.txt");

        var response = await _host.Toto.PostAsync("probe/upload", content);

        Assert.Equal("notes:a.txt:file body", response.Result.GetString());
    }

    [Fact]
    public async Task Multipart_WithoutTheFile_Returns1003()
    {
        using var content = new MultipartFormDataContent { { new StringContent("notes"), "label" } };

        var response = await _host.Toto.PostAsync("probe/upload", content);

        Assert.Equal(1003, response.ErrorCode);
        Assert.Equal("Missing parameters: file", response.ErrorValue.GetString());
    }
}
