using System.Net;
using System.Net.WebSockets;

namespace Tessera.Tests.Wires.WebSockets;

/// <summary>The WebSocket endpoint through real Kestrel with System.Net.WebSockets.ClientWebSocket.</summary>
public sealed class WebSocketTests
{
    private static Task<TesseraTestHost> Start(Action<TesseraTestHostOptions>? options = null) =>
        TesseraTestHost.StartAsync(
            t => AuthHosts.AddSecure(t).Methods.AddAssembly(typeof(HelloService.Greeting).Assembly),
            o =>
            {
                o.UseKestrel = true;
                options?.Invoke(o);
            });

    [Fact]
    public async Task Call_OverTheSocket_UsesTheSameMethodsAndErrors()
    {
        await using var host = await Start();
        await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");

        await client.SendAsync("""{"jsonrpc":"2.0","method":"math.add","params":[40,2],"id":1}""");
        var sum = await client.ReceiveAsync();
        await client.SendAsync("""{"jsonrpc":"2.0","method":"math.divide","params":{"a":1,"b":0},"id":"z"}""");
        var fault = await client.ReceiveAsync();
        await client.SendAsync("{not json");
        var parse = await client.ReceiveAsync();

        Assert.Equal("""{"jsonrpc":"2.0","result":42,"id":1}""", sum!.Value.GetRawText());
        Assert.Equal("""{"jsonrpc":"2.0","error":{"code":4000,"message":"division by zero"},"id":"z"}""", fault!.Value.GetRawText());
        Assert.Equal(-32700, parse!.Value.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Subscribe_ThenEventsArrivePushed_UntilUnsubscribed()
    {
        await using var host = await Start();
        var bus = host.Services.GetRequiredService<IEventBus>();
        await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");

        await client.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":{"topics":["news.*","news.sport"]},"id":1}""");
        var subscribed = await client.ReceiveAsync();
        var published = await bus.PublishAsync("news.sport", new { score = 3 });
        var pushed = await client.ReceiveAsync();
        await client.SendAsync("""{"jsonrpc":"2.0","method":"events.unsubscribe","params":["news.*","news.sport"],"id":2}""");
        var unsubscribed = await client.ReceiveAsync();
        await bus.PublishAsync("news.sport", new { score = 4 });
        await client.SendAsync("""{"jsonrpc":"2.0","method":"math.add","params":[1,1],"id":3}""");
        var next = await client.ReceiveAsync();

        Assert.Equal("""{"jsonrpc":"2.0","result":{"subscribed":["news.*","news.sport"]},"id":1}""", subscribed!.Value.GetRawText());
        Assert.Equal("""{"jsonrpc":"2.0","method":"event","params":{"topic":"news.sport","id":""" + published.Id + ""","data":{"score":3}}}""", pushed!.Value.GetRawText());
        Assert.Equal(2, unsubscribed!.Value.GetProperty("id").GetInt32());
        Assert.Equal(3, next!.Value.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Subscribe_WithLastEventId_ReplaysTheLogFirst_ThenLiveEvents_InOrderWithoutRepeats()
    {
        await using var host = await Start();
        var bus = host.Services.GetRequiredService<IEventBus>();
        var first = await bus.PublishAsync("news.world", new { n = 1 });
        await bus.PublishAsync("other", new { n = 0 });
        await bus.PublishAsync("news.world", new { n = 2 });
        await bus.PublishAsync("news.world", new { n = 3 });
        await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");

        await client.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":{"topics":["news.*"],"last_event_id":""" + first.Id + "},\"id\":1}");
        var frames = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            frames.Add((await client.ReceiveAsync())!.Value);
        }

        await bus.PublishAsync("news.world", new { n = 4 });
        frames.Add((await client.ReceiveAsync())!.Value);

        var events = frames.Where(f => f.TryGetProperty("method", out _)).Select(f => f.GetProperty("params").GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal([2, 3, 4], events);
        Assert.Single(frames, f => f.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task Subscribe_WithABadLastEventId_IsInvalidParameters()
    {
        await using var host = await Start();
        await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");

        await client.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":{"topics":["news.*"],"last_event_id":"yesterday"},"id":1}""");

        Assert.Equal(-32602, (await client.ReceiveAsync())!.Value.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Sessions_AndTopicRules_ApplyOnTheSocket()
    {
        await using var host = await Start();
        var ada = (await host.Toto.CreateAccountAsync("ada", AuthHosts.Password)).Result.GetProperty("session_id").GetString();
        await using var anonymous = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");
        await using var signedIn = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, $"/ws?session_id={ada}");

        await anonymous.SendAsync("""{"jsonrpc":"2.0","method":"secure.who_am_i","id":1}""");
        var refused = await anonymous.ReceiveAsync();
        await anonymous.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":["user.ada.*"],"id":2}""");
        var notYours = await anonymous.ReceiveAsync();
        await signedIn.SendAsync("""{"jsonrpc":"2.0","method":"secure.who_am_i","id":1}""");
        var who = await signedIn.ReceiveAsync();

        Assert.Equal(1004, refused!.Value.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(1004, notYours!.Value.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("ada", who!.Value.GetProperty("result").GetString());
    }

    [Fact]
    public async Task ForeignOrigin_IsRefused_UnlessAllowed()
    {
        await using var host = await Start(o => o.Configuration["Tessera:Events:AllowedOrigins"] = "https://app.example");

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws", options =>
        {
            options.SetRequestHeader("Origin", "https://evil.example");
            options.CollectHttpResponseDetails = true;
        }));
        await using var allowed = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws", options => options.SetRequestHeader("Origin", "https://app.example"));

        Assert.Contains("403", refused.Message);
        Assert.Equal(WebSocketState.Open, allowed.Socket.State);
    }

    [Fact]
    public async Task PlainHttp_ToTheSocketPath_IsToldToUseWebSocket()
    {
        await using var host = await Start();

        using var response = await host.Http.GetAsync("/ws");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SlowConsumer_IsClosedWithCode4008AndAReason()
    {
        await using var host = await Start(o => o.Configuration["Tessera:Events:EventQueueCapacity"] = "50");
        var bus = host.Services.GetRequiredService<IEventBus>();
        await using var slow = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");
        await using var fast = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");
        foreach (var client in new[] { slow, fast })
        {
            await client.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":["flood"],"id":1}""");
            await client.ReceiveAsync();
        }

        var payload = new string('x', 8 * 1024);
        var received = 0;
        var reading = Task.Run(async () =>
        {
            while (Volatile.Read(ref received) < 2000 && await fast.ReceiveAsync(TimeSpan.FromSeconds(30)) is not null)
            {
                Interlocked.Increment(ref received);
            }
        });
        for (var i = 0; i < 2000; i++)
        {
            await bus.PublishAsync("flood", payload);
            while (i - Volatile.Read(ref received) > 20 && !reading.IsCompleted)
            {
                await Task.Delay(1);
            }
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(60));
        while (await slow.ReceiveAsync(TimeSpan.FromSeconds(30)) is not null)
        {
        }

        Assert.Equal(2000, received);
        Assert.Equal(4008, (int)slow.Socket.CloseStatus!.Value);
        Assert.Contains("too slow", slow.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Flood_OfRequests_IsAnsweredInFull_WithoutUnboundedQueueing()
    {
        await using var host = await Start();
        await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 2000; i++)
            {
                await client.SendAsync($$"""{"jsonrpc":"2.0","method":"math.add","params":[{{i}},1],"id":{{i}}}""");
            }
        });
        var answered = new HashSet<int>();
        while (answered.Count < 2000)
        {
            var answer = await client.ReceiveAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(answer!.Value.GetProperty("id").GetInt32() + 1, answer.Value.GetProperty("result").GetInt32());
            answered.Add(answer.Value.GetProperty("id").GetInt32());
        }

        await sending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2000, answered.Count);
    }

    [Fact]
    public async Task AnswersSentAtOnce_AndQueuedEvents_EachArriveOnce_EventsInOrder()
    {
        // Answers leave straight from the call when the outbox is empty and through it otherwise; events always queue.
        // Both flowing at once, on a few sockets in turn, must neither lose nor repeat a frame, nor reorder events.
        const int Count = 600;
        await using var host = await Start(o => o.Configuration["Tessera:Events:EventQueueCapacity"] = "10000");
        var bus = host.Services.GetRequiredService<IEventBus>();
        var padding = new string('x', 4096);
        for (var round = 0; round < 4; round++)
        {
            await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");
            await client.SendAsync("""{"jsonrpc":"2.0","method":"events.subscribe","params":["mix"],"id":-1}""");
            await client.ReceiveAsync();

            // Each call goes out beside an event large enough to keep the send loop busy: answers find the outbox
            // empty at times and full at others.
            var driving = Task.Run(async () =>
            {
                for (var i = 0; i < Count; i++)
                {
                    await client.SendAsync($$"""{"jsonrpc":"2.0","method":"math.add","params":[{{i}},1],"id":{{i}}}""");
                    await bus.PublishAsync("mix", new { n = i, padding });
                }
            });
            var answered = new HashSet<int>();
            var events = new List<int>();
            while (answered.Count < Count || events.Count < Count)
            {
                var frame = (await client.ReceiveAsync(TimeSpan.FromSeconds(10)))!.Value;
                if (frame.TryGetProperty("method", out _))
                {
                    events.Add(frame.GetProperty("params").GetProperty("data").GetProperty("n").GetInt32());
                    continue;
                }

                var id = frame.GetProperty("id").GetInt32();
                Assert.Equal(id + 1, frame.GetProperty("result").GetInt32());
                Assert.True(answered.Add(id), $"answer {id} arrived twice");
            }

            await driving.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(Enumerable.Range(0, Count), events);
            // Nothing extra is still on its way: the next frame is the answer to one more call.
            await client.SendAsync("""{"jsonrpc":"2.0","method":"math.add","params":[1,1],"id":"last"}""");
            Assert.Equal("last", (await client.ReceiveAsync())!.Value.GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Subscriptions_AreLimitedPerConnection()
    {
        await using var host = await Start();
        await using var client = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws");
        var topics = string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"t{i}\""));

        await client.SendAsync($$"""{"jsonrpc":"2.0","method":"events.subscribe","params":[{{topics}}],"id":1}""");
        var refused = await client.ReceiveAsync();

        Assert.Equal(-32602, refused!.Value.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("at most 100", refused.Value.GetProperty("error").GetProperty("data").GetString());
    }
}
