using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Tessera.Tests.Wires.WebSockets;

/// <summary>Methods for socket lifetime tests: one that waits, observing cancellation.</summary>
public sealed class Waiter
{
    [Method("slow.wait")]
    public async Task<int> Wait(int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return milliseconds;
    }
}

/// <summary>A scoped service: each DI scope has its own id.</summary>
public sealed class ScopeProbe
{
    public Guid Id { get; } = Guid.NewGuid();
}

/// <summary>Answers the id of the scope the call ran in.</summary>
public sealed class ScopeMethods
{
    [Method("scope.id")]
    public Guid Id(ScopeProbe probe) => probe.Id;
}

/// <summary>
/// A socket's calls live and die with it, and JSON-RPC batches over a socket follow the specification: one array
/// answer, one Invalid Request for an empty or oversized batch.
/// </summary>
public sealed class WebSocketLifetimeTests
{
    private static Task<TesseraTestHost> Start(LogCapture? logs = null, Action<TesseraTestHostOptions>? options = null) =>
        TesseraTestHost.StartAsync(
            t =>
            {
                t.Services.AddScoped<ScopeProbe>();
                t.AddAccounts().Methods.AddAssembly(typeof(HelloService.Greeting).Assembly).AddType<Waiter>().AddType<ScopeMethods>();
            },
            o =>
            {
                o.UseKestrel = true;
                o.Configuration["Tessera:Storage:Database"] = "Memory";
                o.Configuration["Tessera:MaxBatchSize"] = "5";
                if (logs is not null)
                {
                    o.ConfigureBuilder = builder => builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
                }

                options?.Invoke(o);
            });

    [Fact]
    public async Task Batch_IsAnsweredAsOneArrayInRequestOrder_WithoutNotifications()
    {
        await using var host = await Start();
        await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");

        await client.SendAsync("""
            [{"jsonrpc":"2.0","method":"math.add","params":[1,2],"id":1},
             {"jsonrpc":"2.0","method":"greeting.hello","params":{"name":"ada"}},
             {"jsonrpc":"2.0","method":"math.divide","params":[1,0],"id":"b"},
             {"jsonrpc":"2.0","method":"events.subscribe","params":["news"],"id":3}]
            """);
        var answer = (await client.ReceiveAsync())!.Value;

        Assert.Equal(JsonValueKind.Array, answer.ValueKind);
        Assert.Equal(
            """[{"jsonrpc":"2.0","result":3,"id":1},{"jsonrpc":"2.0","error":{"code":4000,"message":"division by zero"},"id":"b"},{"jsonrpc":"2.0","result":{"subscribed":["news"]},"id":3}]""",
            answer.GetRawText());
    }

    [Fact]
    public async Task EveryCallOnTheSocket_RunsInADependencyInjectionScopeOfItsOwn()
    {
        await using var host = await Start();
        await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");

        await client.SendAsync("""{"jsonrpc":"2.0","method":"scope.id","id":1}""");
        var first = (await client.ReceiveAsync())!.Value.GetProperty("result").GetGuid();
        await client.SendAsync("""{"jsonrpc":"2.0","method":"scope.id","id":2}""");
        var second = (await client.ReceiveAsync())!.Value.GetProperty("result").GetGuid();
        await client.SendAsync("""[{"jsonrpc":"2.0","method":"scope.id","id":3},{"jsonrpc":"2.0","method":"scope.id","id":4}]""");
        var batch = (await client.ReceiveAsync())!.Value.EnumerateArray().Select(e => e.GetProperty("result").GetGuid()).ToList();

        Assert.Equal(4, new HashSet<Guid>([first, second, .. batch]).Count);
    }

    [Theory]
    [InlineData("[]", "The batch is empty.")]
    [InlineData("""[{"jsonrpc":"2.0","method":"math.add","params":[1,2],"id":1},{"jsonrpc":"2.0","method":"math.add","params":[1,2],"id":2},{"jsonrpc":"2.0","method":"math.add","params":[1,2],"id":3},{"jsonrpc":"2.0","method":"math.add","params":[1,2],"id":4},{"jsonrpc":"2.0","method":"math.add","params":[1,2],"id":5},{"jsonrpc":"2.0","method":"math.add","params":[1,2],"id":6}]""",
        "The batch has 6 calls; the limit is 5 (option max_batch_size).")]
    public async Task EmptyOrOversizedBatch_GetsOneInvalidRequest(string batch, string reason)
    {
        await using var host = await Start();
        await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");

        await client.SendAsync(batch);
        var answer = (await client.ReceiveAsync())!.Value;
        await client.SendAsync("""{"jsonrpc":"2.0","method":"math.add","params":[40,2],"id":9}""");
        var next = (await client.ReceiveAsync())!.Value;

        Assert.Equal(JsonValueKind.Object, answer.ValueKind);
        Assert.Equal(-32600, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(reason, answer.GetProperty("error").GetProperty("data").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("id").ValueKind);
        Assert.Equal(42, next.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task PipelinedSlowCalls_ThenAnAbruptClose_LeaveNoUnobservedExceptionAndNoErrorLogged()
    {
        var unobserved = new List<Exception>();
        void Record(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            // Other tests run alongside; only the socket wire's own unobserved failures are this test's business.
            if (e.Exception.ToString().Contains("Tessera.Wires.WebSockets", StringComparison.Ordinal))
            {
                lock (unobserved)
                {
                    unobserved.Add(e.Exception);
                }
            }
        }

        TaskScheduler.UnobservedTaskException += Record;
        var logs = new LogCapture();
        try
        {
            for (var round = 0; round < 5; round++)
            {
                await using var host = await Start(logs, o => o.Configuration["Tessera:Storage:Database"] = "Memory");
                var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");
                for (var i = 0; i < 100; i++)
                {
                    await client.SendAsync(i % 3 == 0
                        ? $$"""{"jsonrpc":"2.0","method":"slow.wait","params":[2000],"id":{{i}}}"""
                        : $$"""{"jsonrpc":"2.0","method":"counter.increment","id":{{i}}}""");
                }

                // Some answers arrive; then the client vanishes without a close handshake.
                await client.ReceiveAsync();
                client.Socket.Abort();
                await client.DisposeAsync();
                await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= Record;
        }

        Assert.True(unobserved.Count == 0, string.Join("\n\n", unobserved));
        var errors = logs.AtLeast(LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n\n", errors.Select(e => $"{e.Category} {e.EventId}: {e.Message}\n{e.Exception}")));
    }

    [Fact]
    public async Task ClientThatStopsReadingWhileEventsFlow_IsCutOffWithinTheGracePeriod()
    {
        var logs = new LogCapture();
        await using var host = await Start(logs, o => o.Configuration["Tessera:Events:EventQueueCapacity"] = "20");
        var bus = host.Services.GetRequiredService<IEventBus>();
        await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");
        await client.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":["flood"],"id":1}""");
        await client.ReceiveAsync();

        // The client reads nothing more: kernel buffers fill, the server's send blocks, the queue overflows.
        var payload = new string('x', 64 * 1024);
        var published = 0;
        while (!logs.Entries.Any(e => e.EventId.Id == 15) && published < 5000)
        {
            await bus.PublishAsync("flood", payload);
            published++;
            await Task.Delay(1);
        }

        Assert.Contains(logs.Entries, e => e.EventId.Id == 15);
        var cutOff = DateTime.UtcNow;
        // Waiting past the 10 s grace period, then draining: the server has aborted the connection by then, so the
        // drain ends in an abort instead of reading every queued event and a polite close.
        await Task.Delay(TimeSpan.FromSeconds(12));
        var ended = false;
        try
        {
            while (await client.ReceiveAsync(TimeSpan.FromSeconds(20)) is not null)
            {
            }

            ended = client.Socket.CloseStatus != (WebSocketCloseStatus)4008;
        }
        catch (WebSocketException)
        {
            ended = true;
        }

        Assert.True(ended, $"the connection was still served {DateTime.UtcNow - cutOff} after the cut-off");
    }
}
