namespace Tessera.Tests.Dispatch.Binding;

public sealed class ArgumentBinderTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() => _host = await Hosts.StartProbeAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<TotoResponse> Call(string method, object parameters) => _host.Toto.CallAsync(method, parameters);

    [Theory]
    [InlineData("probe.int", "42", "42")]
    [InlineData("probe.long", "9007199254740993", "9007199254740993")]
    [InlineData("probe.double", "2.5", "2.5")]
    [InlineData("probe.decimal", "0.1", "0.1")]
    [InlineData("probe.bool", "true", "true")]
    [InlineData("probe.text", "\"abc\"", "\"abc\"")]
    [InlineData("probe.colour", "\"dark_blue\"", "\"dark_blue\"")]
    [InlineData("probe.colour", "\"DarkBlue\"", "\"dark_blue\"")]
    [InlineData("probe.colour", "1", "\"dark_blue\"")]
    [InlineData("probe.id", "\"6f1d2c3a-0000-4000-8000-000000000001\"", "\"6f1d2c3a-0000-4000-8000-000000000001\"")]
    [InlineData("probe.when", "\"2026-11-21T10:00:00Z\"", "\"2026-11-21T10:00:00Z\"")]
    [InlineData("probe.when_offset", "\"2026-11-21T10:00:00+02:00\"", "\"2026-11-21T10:00:00+02:00\"")]
    [InlineData("probe.raw", "{\"x\":[1,2]}", "\"{\\u0022x\\u0022:[1,2]}\"")]
    public async Task Bind_ScalarOfEachType_RoundTrips(string method, string json, string expected)
    {
        var response = await _host.Toto.PostJsonAsync("", $$$"""{"method":"{{{method}}}","parameters":{"value":{{{json}}}}}""");

        Assert.Equal($$"""{"result":{{expected}}}""", response.Body);
    }

    [Fact]
    public async Task Bind_Collections_RoundTrip()
    {
        Assert.Equal("[1,2,3]", (await Call("probe.ints", new { values = new[] { 1, 2, 3 } })).Result.GetRawText());
        Assert.Equal("[\"a\",\"b\"]", (await Call("probe.words", new { values = new[] { "a", "b" } })).Result.GetRawText());
        Assert.Equal("{\"a\":1,\"B\":2}", (await Call("probe.map", new { values = new Dictionary<string, int> { ["a"] = 1, ["B"] = 2 } })).Result.GetRawText());
    }

    [Fact]
    public async Task Bind_Record_ReadsAndWritesSnakeCaseProperties()
    {
        var response = await _host.Toto.PostJsonAsync("probe/echo", """{"person":{"first_name":"Ada","age":36,"home":{"street":"Main","number":1}}}""");

        Assert.Equal("""{"result":{"first_name":"Ada","age":36,"home":{"street":"Main","number":1}}}""", response.Body);
    }

    [Fact]
    public async Task Bind_ExactCSharpName_IsAcceptedBesideSnakeCase()
    {
        var snake = await Call("probe.two_words", new { first_name = "ada", user_age = 36 });
        var exact = await Call("probe.two_words", new { firstName = "ada", userAge = 36 });

        Assert.Equal("ada:36", snake.Result.GetString());
        Assert.Equal("ada:36", exact.Result.GetString());
    }

    [Fact]
    public async Task Bind_ArrayParameters_BindByPosition()
    {
        var response = await _host.Toto.PostJsonAsync("", """{"method":"probe.two_words","parameters":["ada",36]}""");

        Assert.Equal("ada:36", response.Result.GetString());
    }

    [Fact]
    public async Task Bind_OptionalParameters_UseDefaults()
    {
        Assert.Equal("hi ada x2", (await Call("probe.optional", new { name = "ada" })).Result.GetString());
        Assert.Equal("yo ada x5", (await Call("probe.optional", new { name = "ada", greeting = "yo", times = 5 })).Result.GetString());
    }

    [Fact]
    public async Task Bind_NullableParameters_AreOptionalAndAcceptNull()
    {
        Assert.Equal("none/none", (await Call("probe.maybe", new { })).Result.GetString());
        Assert.Equal("3/x", (await Call("probe.maybe", new { count = 3, label = "x" })).Result.GetString());
        Assert.Equal("none/none", (await _host.Toto.PostJsonAsync("probe/maybe", """{"count":null,"label":null}""")).Result.GetString());
    }

    [Fact]
    public async Task Bind_MissingRequired_Returns1003NamingThemInDeclarationOrder()
    {
        var response = await Call("probe.two_words", new { unrelated = 1 });

        Assert.Equal(1003, response.ErrorCode);
        Assert.Equal("Missing parameters: first_name, user_age", response.ErrorValue.GetString());
    }

    [Fact]
    public async Task Bind_UnknownExtraParameters_AreIgnored()
    {
        var response = await Call("probe.int", new { value = 1, extra = "ignored", more = new[] { 1 } });

        Assert.Equal(1, response.Result.GetInt32());
    }

    [Theory]
    [InlineData("probe.int", "\"abc\"", "'value' must be an integer (int)")]
    [InlineData("probe.int", "2.5", "'value' must be an integer (int)")]
    [InlineData("probe.int", "99999999999", "'value' must be an integer (int)")]
    [InlineData("probe.bool", "\"maybe\"", "'value' must be a boolean")]
    [InlineData("probe.id", "\"not-a-guid\"", "'value' must be a GUID")]
    [InlineData("probe.when", "\"yesterday\"", "'value' must be an ISO 8601 date and time")]
    [InlineData("probe.colour", "\"green\"", "'value' must be one of red, dark_blue")]
    [InlineData("probe.int", "null", "'value' must not be null")]
    [InlineData("probe.text", "null", "'value' must not be null")]
    [InlineData("probe.ints", "{\"a\":1}", "'values' must be a valid int[]")]
    public async Task Bind_WrongType_Returns1003SayingWhichParameterAndWhy(string method, string json, string expected)
    {
        var name = method.EndsWith("ints") ? "values" : "value";
        var response = await _host.Toto.PostJsonAsync("", $$$"""{"method":"{{{method}}}","parameters":{"{{{name}}}":{{{json}}}}}""");

        Assert.Equal(1003, response.ErrorCode);
        Assert.Equal("Invalid parameters: " + expected, response.ErrorValue.GetString());
    }

    [Fact]
    public async Task Bind_NumbersAndBooleansAsStrings_AreConverted()
    {
        Assert.Equal(12, (await Call("probe.int", new { value = "12" })).Result.GetInt32());
        Assert.True((await Call("probe.bool", new { value = "true" })).Result.GetBoolean());
    }

    [Fact]
    public async Task Bind_DataAnnotationsOnParameters_FailWith1003ForEachRule()
    {
        var response = await Call("probe.rules", new { age = 200, code = "toolong", slug = "Not-Slug" });

        Assert.Equal(1003, response.ErrorCode);
        var value = response.ErrorValue.GetString()!;
        Assert.StartsWith("Invalid parameters: ", value);
        Assert.Contains("'age': The field age must be between 0 and 150.", value);
        Assert.Contains("'code':", value);
        Assert.Contains("'slug':", value);
    }

    [Fact]
    public async Task Bind_DataAnnotationsThatPass_CallTheMethod()
    {
        Assert.Equal("42abcslug", (await Call("probe.rules", new { age = 42, code = "abc", slug = "slug" })).Result.GetString());
        Assert.Equal("a@b.example", (await Call("probe.mail", new { address = "a@b.example" })).Result.GetString());
        Assert.Equal(1003, (await Call("probe.mail", new { address = "not an email" })).ErrorCode);
    }

    [Fact]
    public async Task Bind_RulesOnRecordProperties_AreValidated()
    {
        var bad = await Call("probe.sign_up", new { form = new { email = "nope", age = 5 } });
        var good = await Call("probe.sign_up", new { form = new { email = "a@b.example", age = 30 } });

        Assert.Equal(1003, bad.ErrorCode);
        Assert.Contains("'form':", bad.ErrorValue.GetString());
        Assert.Contains("Age", bad.ErrorValue.GetString());
        Assert.Equal("a@b.example", good.Result.GetString());
    }

    [Fact]
    public async Task Bind_InjectedParameters_AreNotReadFromTheWire()
    {
        var context = await Call("probe.context", new { context = "spoofed", cancellation_token = "x" });
        var service = await Call("probe.injected", new { name = "ada", clock = "spoofed" });
        var http = await _host.Toto.PostJsonAsync("probe/http", "{}");

        Assert.Equal("probe.context|toto|True|True", context.Result.GetString());
        Assert.Equal("ada@noon", service.Result.GetString());
        Assert.Equal("/probe/http", http.Result.GetString());
    }
}
