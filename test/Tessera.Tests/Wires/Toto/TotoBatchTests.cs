namespace Tessera.Tests.Wires.Toto;

public sealed class TotoBatchTests : IAsyncLifetime
{
    private TesseraTestHost _host = null!;

    public async Task InitializeAsync() => _host = await Hosts.StartAsync(
        t => t.AddAccounts().Methods.AddAssembly(typeof(HelloService.Greeting).Assembly).AddType<Shapes>(),
        o =>
        {
            o.Configuration["Tessera:MaxBatchSize"] = "5";
            o.Configuration["Tessera:Storage:Database"] = "Memory";
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Batch_AnswersEveryKeyWithItsOwnResultOrError()
    {
        var response = await _host.Toto.BatchAsync(
        [
            ("sum", "math.add", new { a = 1, b = 2 }),
            ("hello", "greeting.hello", new { name = "ada" }),
            ("zero", "math.divide", new { a = 1, b = 0 }),
            ("missing", "math.add", new { a = 1 }),
            ("unknown", "no.such", null),
        ]);

        Assert.Equal(200, response.StatusCode);
        var batch = response.Json!.Value.GetProperty("batch");
        Assert.False(response.Json.Value.TryGetProperty("result", out _));
        Assert.Equal(3, batch.GetProperty("sum").GetProperty("result").GetInt32());
        Assert.Equal("hello ada", batch.GetProperty("hello").GetProperty("result").GetString());
        Assert.Equal(4000, batch.GetProperty("zero").GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Missing parameters: b", batch.GetProperty("missing").GetProperty("error").GetProperty("value").GetString());
        Assert.Equal(1001, batch.GetProperty("unknown").GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Batch_EntriesRunAndAnswerInSortedKeyOrder()
    {
        var response = await _host.Toto.PostJsonAsync("", """
            {"batch": {"c": {"method": "math.add", "parameters": {"a": 3, "b": 0}},
                       "a": {"method": "math.add", "parameters": {"a": 1, "b": 0}},
                       "b": {"method": "math.add", "parameters": {"a": 2, "b": 0}}}}
            """);

        var keys = response.Json!.Value.GetProperty("batch").EnumerateObject().Select(p => p.Name);
        Assert.Equal(["a", "b", "c"], keys);
    }

    [Fact]
    public async Task Batch_VoidEntry_AnswersNullResult()
    {
        var response = await _host.Toto.BatchAsync([("v", "shapes.void", null)]);

        Assert.Equal("""{"batch":{"v":{"result":null}}}""", response.Body);
    }

    [Fact]
    public async Task Batch_FailingEntry_DoesNotLeakDetailsOrStopOthers()
    {
        var response = await _host.Toto.BatchAsync([("a", "shapes.fail", null), ("b", "math.add", new { a = 1, b = 1 })]);

        var batch = response.Json!.Value.GetProperty("batch");
        Assert.Equal(1000, batch.GetProperty("a").GetProperty("error").GetProperty("code").GetInt32());
        Assert.DoesNotContain("secret", response.Body);
        Assert.Equal(2, batch.GetProperty("b").GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task Batch_EntryThatIsNotAnObject_AnswersItsOwn1011()
    {
        var response = await _host.Toto.PostJsonAsync("", """{"batch":{"a":42,"b":{"method":"math.add","parameters":{"a":1,"b":1}}}}""");

        var batch = response.Json!.Value.GetProperty("batch");
        Assert.Equal(1011, batch.GetProperty("a").GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(2, batch.GetProperty("b").GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task Batch_EntryWithoutMethod_Answers1002()
    {
        var response = await _host.Toto.PostJsonAsync("", """{"batch":{"a":{"parameters":{}}}}""");

        Assert.Equal(1002, response.Json!.Value.GetProperty("batch").GetProperty("a").GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Batch_OverTheLimit_Answers1011WithTheLimit()
    {
        var calls = Enumerable.Range(0, 6).Select(i => ($"k{i}", "math.add", (object?)new { a = i, b = 0 }));

        var response = await _host.Toto.BatchAsync(calls);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("The batch has 6 calls; the limit is 5 (option max_batch_size).", response.ErrorValue.GetString());
    }

    [Fact]
    public async Task Batch_DuplicateKeys_Answer1011()
    {
        var response = await _host.Toto.PostJsonAsync("", """{"batch":{"a":{"method":"math.add"},"a":{"method":"math.add"}}}""");

        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith("The request body names the same member twice in one object", response.ErrorValue.GetString());
    }

    [Fact]
    public async Task Batch_NotAnObject_Answers1011()
    {
        var response = await _host.Toto.PostJsonAsync("", """{"batch":[1,2]}""");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(1011, response.ErrorCode);
    }

    [Fact]
    public async Task Batch_Empty_AnswersEmptyBatch()
    {
        Assert.Equal("""{"batch":{}}""", (await _host.Toto.PostJsonAsync("", """{"batch":{}}""")).Body);
    }
}
