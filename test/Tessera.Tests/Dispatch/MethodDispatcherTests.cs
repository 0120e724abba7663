namespace Tessera.Tests.Dispatch;

public sealed class MethodDispatcherTests
{
    private static Task<TesseraTestHost> Start(string environment = "Production") =>
        Hosts.StartAsync<Shapes>(o => o.Environment = environment);

    [Fact]
    public async Task Call_VoidMethod_AnswersEmptyBodyWith200AndRuns()
    {
        await using var host = await Start();
        var before = Volatile.Read(ref Shapes.VoidCalls);

        var response = await host.Toto.CallAsync("shapes.void");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("", response.Body);
        Assert.Equal(before + 1, Volatile.Read(ref Shapes.VoidCalls));
    }

    [Theory]
    [InlineData("shapes.task_only", "")]
    [InlineData("shapes.value_task_only", "")]
    [InlineData("shapes.task_of", """{"result":7}""")]
    [InlineData("shapes.value_task_of", """{"result":"vt"}""")]
    public async Task Call_AsyncShapes_AreAwaited(string method, string expected)
    {
        await using var host = await Start();

        var response = await host.Toto.CallAsync(method);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(expected, response.Body);
    }

    [Fact]
    public async Task Call_Result_PropertiesAreSnakeCaseByDefault()
    {
        await using var host = await Start();

        Assert.Equal("""{"result":{"user_name":"ada","login_count":3}}""", (await host.Toto.CallAsync("shapes.anonymous")).Body);
    }

    [Theory]
    [InlineData(ResultNaming.CamelCase, """{"result":{"userName":"ada","loginCount":3}}""")]
    [InlineData(ResultNaming.AsDeclared, """{"result":{"UserName":"ada","LoginCount":3}}""")]
    public async Task Call_ResultNaming_IsConfigurable(ResultNaming naming, string expected)
    {
        await using var host = await Hosts.StartAsync<Shapes>(o => o.Configuration["Tessera:ResultNaming"] = naming.ToString());

        Assert.Equal(expected, (await host.Toto.CallAsync("shapes.anonymous")).Body);
    }

    [Fact]
    public async Task Call_NonAsciiResult_IsEscapedSoTheWireIsAscii()
    {
        await using var host = await Start();

        var response = await host.Toto.CallAsync("shapes.unicode");

        Assert.All(response.Body, c => Assert.True(c < 128, $"non-ASCII character U+{(int)c:X4} on the wire"));
        Assert.Contains("\\u00E9\\uD83D\\uDE00", response.Body);
        Assert.Equal("é😀<tag>", response.Result.GetString());
    }

    [Fact]
    public async Task Call_MethodException_AnswersItsCodeAndAnyJsonValue()
    {
        await using var host = await Start();

        var response = await host.Toto.CallAsync("shapes.refuse");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("""{"error":{"code":4242,"value":{"reason":"quota","left":0}}}""", response.Body);
    }

    [Fact]
    public async Task Call_UnexpectedException_Answers1000WithoutDetailsOutsideDevelopment()
    {
        await using var host = await Start();

        var response = await host.Toto.CallAsync("shapes.fail");

        Assert.Equal(1000, response.ErrorCode);
        var value = response.ErrorValue.GetString()!;
        Assert.DoesNotContain("secret", value);
        Assert.DoesNotContain("InvalidOperationException", value);
        Assert.Matches("^An unexpected error occurred. Transaction [0-9a-f-]{36} is in the server log.$", value);
    }

    [Fact]
    public async Task Call_UnexpectedException_ShowsDetailsInDevelopment()
    {
        await using var host = await Start("Development");

        var response = await host.Toto.CallAsync("shapes.fail");

        Assert.Equal(1000, response.ErrorCode);
        Assert.Contains("System.InvalidOperationException: secret connection string", response.ErrorValue.GetString());
    }

    [Fact]
    public async Task Call_UnserializableResult_Answers1000InsteadOfABrokenBody()
    {
        await using var host = await Start();

        var response = await host.Toto.CallAsync("shapes.cycle");

        Assert.Equal(1000, response.ErrorCode);
        Assert.Equal(200, (await host.Toto.CallAsync("shapes.task_of")).StatusCode);
    }

    [Fact]
    public async Task Call_UnknownMethod_Answers1001()
    {
        await using var host = await Start();

        var response = await host.Toto.CallAsync("nobody.home");

        Assert.Equal("""{"error":{"code":1001,"value":"Cannot call \u0027nobody.home\u0027."}}""", response.Body);
        Assert.Equal("Cannot call 'nobody.home'.", response.ErrorValue.GetString());
    }
}
