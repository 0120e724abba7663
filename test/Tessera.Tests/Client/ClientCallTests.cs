using System.Net;
using System.Net.Sockets;
using Tessera.Client;

namespace Tessera.Tests.Client;

/// <summary>TesseraClient against HelloService on real Kestrel, on every wire it speaks.</summary>
public sealed class ClientCallTests
{
    public static TheoryData<TesseraWire, TesseraBodyFormat> Wires => new()
    {
        { TesseraWire.JsonRpc, TesseraBodyFormat.Json },
        { TesseraWire.Toto, TesseraBodyFormat.Json },
        { TesseraWire.Toto, TesseraBodyFormat.MessagePack },
        { TesseraWire.WebSocket, TesseraBodyFormat.Json },
    };

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task Calls_ByNameByPositionAndByDictionary_AnswerTheResult(TesseraWire wire, TesseraBodyFormat format)
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host, o => { o.Wire = wire; o.BodyFormat = format; });

        Assert.Equal(42, await client.CallAsync<int>("math.add", new { a = 40, b = 2 }));
        Assert.Equal(0.5, await client.CallAsync<double>("math.divide", new Dictionary<string, object> { ["a"] = 1, ["b"] = 2 }));
        Assert.Equal("hello ada", await client.CallAsync<string>("greeting.hello", client.CreateParameters().Add("name", "ada")));
        if (wire != TesseraWire.Toto)
        {
            // The Toto envelope names its parameters; JSON-RPC also takes them by position.
            Assert.Equal(5, await client.CallAsync<int>("math.add", new object[] { 2, 3 }));
        }
    }

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task MethodError_IsTesseraCallException_WithCodeAndValue(TesseraWire wire, TesseraBodyFormat format)
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host, o => { o.Wire = wire; o.BodyFormat = format; });

        var error = await Assert.ThrowsAsync<TesseraCallException>(() => client.CallAsync<double>("math.divide", new { a = 1, b = 0 }));
        var unknown = await Assert.ThrowsAsync<TesseraCallException>(() => client.CallAsync<int>("no.such", new { }));

        Assert.Equal(4000, error.Code);
        Assert.Equal("division by zero", error.Message);
        Assert.Equal("division by zero", error.Value.GetString());
        Assert.Equal(wire == TesseraWire.Toto ? 1001 : -32601, unknown.Code);
    }

    [Theory]
    [MemberData(nameof(Wires))]
    public async Task InvalidParameters_SayWhichAndWhy_OnEveryWire(TesseraWire wire, TesseraBodyFormat format)
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host, o => { o.Wire = wire; o.BodyFormat = format; });

        var error = await Assert.ThrowsAsync<TesseraCallException>(() => client.CallAsync<int>("math.add", new { a = "x", b = 2 }));

        // JSON-RPC answers "Invalid params" with the reason in data: the exception's message is the reason.
        Assert.Equal(wire == TesseraWire.Toto ? 1003 : -32602, error.Code);
        Assert.Equal("Invalid parameters: 'a' must be an integer (int)", error.Message);
    }

    [Fact]
    public async Task TypedProxy_CallsHelloService_AndThrowsItsErrors()
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host);

        var math = client.For<HelloService.Contracts.IMath>();
        var greeting = client.For<HelloService.Contracts.IGreeting>();

        Assert.Equal(42, await math.Add(40, 2));
        Assert.Equal("hello proxy", await greeting.Hello("proxy"));
        Assert.Equal(4000, (await Assert.ThrowsAsync<TesseraCallException>(() => math.Divide(1, 0))).Code);
    }

    [Fact]
    public async Task TypedProxy_NamesEveryMethodAsTheServerDoes()
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host);
        var inventory = client.For<IInventoryService>();

        // Each call reaches the server only if client and server derive the same wire name (get_item, add_items,
        // reset, count_all, mark_seen under "inventory") and the same parameter names (item_id, item_names).
        await inventory.ResetAsync();
        var item = await inventory.GetItemAsync("bolt");
        var added = await inventory.AddItems(["a", "b", "c"], 2);
        await inventory.MarkSeen("bolt");

        Assert.Equal(new ItemRecord("bolt", 7, new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero)), item);
        Assert.Equal(6, added);
        Assert.Equal(6L, await inventory.CountAll());
        var served = (await client.CallAsync("rpc.discover")).GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Equal(
            ["inventory.add_items", "inventory.count_all", "inventory.get_item", "inventory.mark_seen", "inventory.reset"],
            served.Where(name => name!.StartsWith("inventory.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal("inventory.get_item", TesseraNaming.MethodName("IInventoryService", "GetItemAsync"));
    }

    [Fact]
    public async Task For_AnInterfaceWithoutAGeneratedProxy_SaysHowToGetOne()
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host);

        var error = Assert.Throws<InvalidOperationException>(() => ProxyOf<IDisposable>(client));

        Assert.Contains("No proxy was generated for System.IDisposable", error.Message);
    }

    // Generic code: the generator cannot see which interface T is, so no proxy exists for IDisposable.
    private static T ProxyOf<T>(TesseraClient client)
        where T : class => client.For<T>();

    [Theory]
    [InlineData(TesseraWire.JsonRpc)]
    [InlineData(TesseraWire.Toto)]
    [InlineData(TesseraWire.WebSocket)]
    public async Task Batch_IsOneRoundTrip_AndEachEntryHasItsOwnOutcome(TesseraWire wire)
    {
        await using var host = await ClientHosts.StartAsync();
        var counter = new CountingHandler();
        await using var client = ClientHosts.Client(host, o => o.Wire = wire, counter);

        var batch = client.CreateBatch();
        var sum = batch.Add<int>("math.add", new { a = 1, b = 2 });
        var oops = batch.Add<double>("math.divide", new { a = 1, b = 0 });
        batch.Notify("greeting.hello", new { name = "nobody" });
        var hello = batch.Add<string>("greeting.hello", new { name = "batch" });
        await batch.SendAsync();

        Assert.Equal(3, sum.Value);
        Assert.Equal("hello batch", hello.Value);
        Assert.False(oops.Succeeded);
        Assert.Equal(4000, oops.Error!.Code);
        Assert.Equal(4000, Assert.Throws<TesseraCallException>(() => oops.Value).Code);
        // One HTTP request in all: the POST, or on the WebSocket wire the upgrade that opened the socket.
        Assert.Equal(1, counter.Sent);
    }

    [Fact]
    public async Task Notification_RunsTheMethod_AndAnswersNothing()
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host);
        await client.Accounts.CreateAsync("notifier", AuthHosts.Password);

        await client.NotifyAsync("counter.increment");

        Assert.Equal(2, (await client.CallAsync("counter.increment")).GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData(TesseraWire.JsonRpc, TesseraBodyFormat.Json)]
    [InlineData(TesseraWire.Toto, TesseraBodyFormat.Json)]
    [InlineData(TesseraWire.Toto, TesseraBodyFormat.MessagePack)]
    public async Task OversizedCall_IsRefusedBeforeItsBodyIsSent(TesseraWire wire, TesseraBodyFormat format)
    {
        // A body over 1 MiB asks first (Expect: 100-continue), so the service's refusal comes before the upload: even
        // at 40 MB, past Kestrel's own limit of 30 MB, where the server closes the connection after answering. Sent
        // without asking, that body met the closed connection and the call failed as "Error while copying content to
        // a stream".
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host, o => { o.Wire = wire; o.BodyFormat = format; });

        foreach (var megabytes in new[] { 2, 40 })
        {
            var refused = await Assert.ThrowsAsync<TesseraCallException>(
                () => client.CallAsync<string>("greeting.hello", new { name = new string('x', megabytes * 1024 * 1024) }));
            Assert.Equal("The request body is larger than the limit of 1048576 bytes (option max_request_body_size).", refused.Message);
        }

        Assert.Equal("hello ada", await client.CallAsync<string>("greeting.hello", new { name = "ada" }));
    }

    [Fact]
    public async Task OversizedCall_OnTheWebSocket_FailsWithTheServicesReason()
    {
        // The service closes the socket with 1009 and says why; the call's failure carries that, not only "closed".
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host, o => o.Wire = TesseraWire.WebSocket);

        var refused = await Assert.ThrowsAsync<TesseraTransportException>(
            () => client.CallAsync<string>("greeting.hello", new { name = new string('x', 2 * 1024 * 1024) }));

        Assert.Equal("The WebSocket closed before the answer arrived (the service closed it: 1009 messages are limited to 1048576 bytes).",
            refused.Message);
        Assert.Equal("hello ada", await client.CallAsync<string>("greeting.hello", new { name = "ada" }));
    }

    [Theory]
    [InlineData(TesseraWire.JsonRpc)]
    [InlineData(TesseraWire.Toto)]
    public async Task LargeCall_UnderARaisedLimit_IsAnswered(TesseraWire wire)
    {
        // The same ask-first request, to a service that takes 8 MB: Kestrel asks for the body when Tessera reads it.
        await using var host = await ClientHosts.StartAsync(o => o.Configuration["Tessera:MaxRequestBodySize"] = "8388608");
        await using var client = ClientHosts.Client(host, o => o.Wire = wire);
        var name = new string('x', 3 * 1024 * 1024);

        Assert.Equal("hello " + name, await client.CallAsync<string>("greeting.hello", new { name }));
    }

    [Fact]
    public async Task Timeout_PerCall_IsATransportFailure_DistinctFromMethodErrors()
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host);

        var slow = await Assert.ThrowsAsync<TesseraTransportException>(
            () => client.CallAsync<string>("client_probe.slow", new { milliseconds = 5000 }, TimeSpan.FromMilliseconds(200)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.CallAsync<string>("client_probe.slow", new { milliseconds = 5000 }, cancel.Token));

        Assert.IsType<TimeoutException>(slow.InnerException);
        Assert.True(slow.RequestSent);
        Assert.Equal("done", await client.CallAsync<string>("client_probe.slow", new { milliseconds = 1 }));
        Assert.True(cancelled.CancellationToken.IsCancellationRequested || cancel.IsCancellationRequested);
    }

    [Fact]
    public async Task StoreUnavailable_IsRetried_UntilItSucceeds()
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host, o => o.MaxRetries = 3);

        var result = await client.CallAsync<int>("client_probe.flaky");

        Assert.Equal(3, result);
        Assert.Equal(3, host.Services.GetRequiredService<ClientProbeState>().FlakyCalls);
    }

    [Fact]
    public async Task MethodErrors_AreNeverRetried()
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host, o => o.MaxRetries = 3);

        var error = await Assert.ThrowsAsync<TesseraCallException>(() => client.CallAsync<int>("client_probe.failing"));

        Assert.Equal(4100, error.Code);
        Assert.Equal(1, host.Services.GetRequiredService<ClientProbeState>().FailingCalls);
    }

    [Fact]
    public async Task ConnectionRefused_IsRetried_AndReportedAsNotSent()
    {
        var port = ServiceProcess.FreePort();
        var counter = new CountingHandler();
        using var client = new TesseraClient(new HttpClient(counter),
            new TesseraClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(5) });

        var failure = await Assert.ThrowsAsync<TesseraTransportException>(() => client.CallAsync<int>("math.add", new { a = 1, b = 2 }));

        Assert.False(failure.RequestSent);
        Assert.Equal(3, counter.Sent);
    }

    [Fact]
    public async Task ConnectionDroppedAfterTheRequestWasSent_IsNotRetried()
    {
        // A peer that reads the request and hangs up without answering: the call may have run, so it is not sent again.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = 0;
        var server = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await listener.AcceptSocketAsync();
                Interlocked.Increment(ref accepted);
                var buffer = new byte[4096];
                await socket.ReceiveAsync(buffer);
                socket.Close();
            }
        });
        var counter = new CountingHandler();
        using var client = new TesseraClient(new HttpClient(counter),
            new TesseraClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"), MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(5) });

        var failure = await Assert.ThrowsAsync<TesseraTransportException>(() => client.CallAsync<int>("math.add", new { a = 1, b = 2 }));

        Assert.True(failure.RequestSent);
        Assert.Equal(1, counter.Sent);
    }

    [Fact]
    public async Task ApiToken_IsSentWithEveryCall()
    {
        const string Token = "client-test-token";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Token)));
        await using var host = await ClientHosts.StartAsync(o => o.Configuration["Tessera:Security:ApiTokenHashes"] = hash);
        await using var without = ClientHosts.Client(host);
        await using var with = ClientHosts.Client(host, o => o.ApiToken = Token);
        await using var socket = ClientHosts.Client(host, o => { o.ApiToken = Token; o.Wire = TesseraWire.WebSocket; });

        Assert.Equal(-32001, (await Assert.ThrowsAsync<TesseraCallException>(() => without.CallAsync<string>("client_probe.private"))).Code);
        Assert.Equal("private", await with.CallAsync<string>("client_probe.private"));
        Assert.Equal("private", await socket.CallAsync<string>("client_probe.private"));
    }

    [Fact]
    public async Task AddTesseraClient_MakesNamedClients_OnIHttpClientFactory()
    {
        await using var host = await ClientHosts.StartAsync();
        var services = new ServiceCollection();
        services.AddTesseraClient("hello", o => o.BaseAddress = host.Http.BaseAddress);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<ITesseraClientFactory>().CreateClient("hello");

        Assert.Equal(42, await client.For<HelloService.Contracts.IMath>().Add(40, 2));
    }
}
