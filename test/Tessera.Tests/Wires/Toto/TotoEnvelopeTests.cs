namespace Tessera.Tests.Wires.Toto;

public sealed class TotoEnvelopeTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() => _host = await Hosts.StartHelloServiceAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("/", null)]
    [InlineData("///", null)]
    [InlineData("greeting/hello", "greeting.hello")]
    [InlineData("/greeting/hello/", "greeting.hello")]
    [InlineData("//a/b/c//", "a.b.c")]
    [InlineData("greeting.hello", "greeting.hello")]
    [InlineData("a//b", "a..b")]
    [InlineData("x", "x")]
    public void APath_NamesTheMethod_SlashesAsDots(string? path, string? expected) =>
        Assert.Equal(expected, Tessera.Wires.Toto.TotoEnvelope.MethodFromPath(path));

    [Fact]
    public async Task Post_Envelope_AnswersResult()
    {
        var response = await _host.Toto.PostJsonAsync("", """{"method":"greeting.hello","parameters":{"name":"ada"}}""");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.ContentHeaders.ContentType?.MediaType);
        Assert.Equal("""{"result":"hello ada"}""", response.Body);
    }

    [Fact]
    public async Task Post_WithoutContentType_IsReadAsJson()
    {
        var content = new ByteArrayContent("""{"method":"math.add","parameters":{"a":2,"b":2}}"""u8.ToArray());

        var response = await _host.Toto.PostAsync("", content);

        Assert.Null(content.Headers.ContentType);
        Assert.Equal(4, response.Result.GetInt32());
    }

    [Fact]
    public async Task Post_JsonWithCharsetParameter_IsAccepted()
    {
        var content = new StringContent("""{"method":"math.add","parameters":{"a":2,"b":3}}""");
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };

        Assert.Equal(5, (await _host.Toto.PostAsync("", content)).Result.GetInt32());
    }

    [Theory]
    [InlineData("math/add")]
    [InlineData("math.add")]
    [InlineData("math/add/")]
    public async Task Post_UrlStyle_PathNamesTheMethod(string path)
    {
        var response = await _host.Toto.PostJsonAsync(path, """{"a":20,"b":22}""");

        Assert.Equal(42, response.Result.GetInt32());
    }

    [Fact]
    public async Task Post_UrlStyle_PathWinsOverBodyMethod()
    {
        var response = await _host.Toto.PostJsonAsync("math/add", """{"method":"greeting.hello","parameters":{"a":1,"b":1}}""");

        Assert.Equal(2, response.Result.GetInt32());
    }

    [Fact]
    public async Task Post_ParametersMissing_WholeBodyIsTheParameters()
    {
        var response = await _host.Toto.PostJsonAsync("", """{"method":"greeting.hello","name":"ada"}""");

        Assert.Equal("hello ada", response.Result.GetString());
    }

    [Fact]
    public async Task Post_ParametersEmptyObject_WholeBodyIsTheParameters()
    {
        var response = await _host.Toto.PostJsonAsync("", """{"method":"greeting.hello","parameters":{},"name":"ada"}""");

        Assert.Equal("hello ada", response.Result.GetString());
    }

    [Fact]
    public async Task Post_ParametersNotObjectOrArray_Answers1011()
    {
        var response = await _host.Toto.PostJsonAsync("", """{"method":"greeting.hello","parameters":"ada"}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(1011, response.ErrorCode);
    }

    [Fact]
    public async Task Post_NoMethod_Answers1002()
    {
        var response = await _host.Toto.PostJsonAsync("", """{"parameters":{"name":"ada"}}""");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("""{"error":{"code":1002,"value":"Missing method."}}""", response.Body);
    }

    [Fact]
    public async Task Post_EmptyBodyToRoot_Answers1002()
    {
        var response = await _host.Toto.PostJsonAsync("", "");

        Assert.Equal(1002, response.ErrorCode);
    }

    [Fact]
    public async Task Post_MissingParameters_Answers1003InDeclarationOrder()
    {
        var response = await _host.Toto.PostJsonAsync("math/add", "{}");

        Assert.Equal("""{"error":{"code":1003,"value":"Missing parameters: a, b"}}""", response.Body);
    }

    [Fact]
    public async Task Post_MethodError_KeepsItsCodeWithStatus200()
    {
        var response = await _host.Toto.CallAsync("math.divide", new { a = 1, b = 0 });

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("""{"error":{"code":4000,"value":"division by zero"}}""", response.Body);
    }

    [Fact]
    public async Task Get_QueryParameters_CallTheMethod()
    {
        var response = await _host.Toto.GetAsync("math/add?a=1&b=41");

        Assert.Equal("""{"result":42}""", response.Body);
    }

    [Fact]
    public async Task Get_DottedPath_CallsTheMethod()
    {
        Assert.Equal("hello bob", (await _host.Toto.GetAsync("greeting.hello?name=bob")).Result.GetString());
    }

    [Fact]
    public async Task Get_RootWithoutMethod_Answers1002()
    {
        Assert.Equal(1002, (await _host.Toto.GetAsync("")).ErrorCode);
    }

    [Fact]
    public async Task Head_RunsTheMethodAndSendsHeadersOnly()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/greeting/hello?name=ada");

        var response = await _host.Toto.SendAsync(request);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("", response.Body);
        Assert.Equal("application/json", response.ContentHeaders.ContentType?.MediaType);
        Assert.Equal("""{"result":"hello ada"}""".Length, response.ContentHeaders.ContentLength);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task OtherVerbs_Answer405WithAllow(string verb)
    {
        using var request = new HttpRequestMessage(new HttpMethod(verb), "/greeting/hello");

        var response = await _host.Toto.SendAsync(request);

        Assert.Equal(405, response.StatusCode);
        Assert.Equal("GET, HEAD, POST, OPTIONS", response.ContentHeaders.Allow.Count > 0
            ? string.Join(", ", response.ContentHeaders.Allow)
            : response.Header("Allow"));
        Assert.Equal(1011, response.ErrorCode);
    }

    [Theory]
    [InlineData("bad-name/x")]
    [InlineData("a//b")]
    public async Task Post_PathWithInvalidCharacters_Answers1001(string path)
    {
        var response = await _host.Toto.PostJsonAsync(path, "{}");

        Assert.Equal(1001, response.ErrorCode);
    }
}
