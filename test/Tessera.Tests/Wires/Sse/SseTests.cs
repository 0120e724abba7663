using Tessera.Wires.Sse;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Tessera.Tests.Wires.Sse;

/// <summary>Server-Sent Events through real Kestrel on 127.0.0.1.</summary>
public sealed class SseTests(ITestOutputHelper output)
{
    private static Task<TesseraTestHost> Start(Action<TesseraTestHostOptions>? options = null) =>
        AuthHosts.StartAsync(o =>
        {
            o.UseKestrel = true;
            options?.Invoke(o);
        });

    private static IEventBus Bus(TesseraTestHost host) => host.Services.GetRequiredService<IEventBus>();

    [Fact]
    public async Task Stream_CarriesIdTopicAndJsonData()
    {
        await using var host = await Start();
        await using var stream = await SseClient.OpenAsync(host.Http, "/events?topics=chat.*");

        var published = await Bus(host).PublishAsync("chat.message", new { user_id = "ada", message = "hi" });
        var received = await stream.NextAsync();

        Assert.Equal(published.Id, received!.Value.Id);
        Assert.Equal("chat.message", received.Value.Topic);
        Assert.Equal("""{"user_id":"ada","message":"hi"}""", received.Value.Data.GetRawText());
    }

    [Fact]
    public async Task Stream_HasTheSseHeaders()
    {
        await using var host = await Start();
        using var response = await host.Http.GetAsync("/events?topics=a", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Stream_OnlyCarriesTheTopicsAskedFor_InOrder()
    {
        await using var host = await Start();
        await using var stream = await SseClient.OpenAsync(host.Http, "/events?topics=a,b.*");

        foreach (var topic in new[] { "a", "c", "b.x", "a.y", "b.z", "a" })
        {
            await Bus(host).PublishAsync(topic, topic);
        }

        var topics = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            topics.Add((await stream.NextAsync())!.Value.Topic);
        }

        Assert.Equal(["a", "b.x", "b.z", "a"], topics);
    }

    [Fact]
    public async Task Resume_WithLastEventId_DeliversTheMissedEvents()
    {
        await using var host = await Start();
        var bus = Bus(host);
        var seen = await bus.PublishAsync("feed", 0);
        for (var i = 1; i <= 3; i++)
        {
            await bus.PublishAsync("feed", i);
        }

        await using var resumed = await SseClient.OpenAsync(host.Http, "/events?topics=feed", r => r.Headers.Add("Last-Event-ID", seen.Id.ToString()));
        await bus.PublishAsync("feed", 4);

        var values = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            values.Add((await resumed.NextAsync())!.Value.Data.GetInt32());
        }

        Assert.Equal([1, 2, 3, 4], values);
    }

    [Fact]
    public async Task UserTopics_OnlyTheirOwnerMayFollow_AndWildcardsDoNotLeakThem()
    {
        await using var host = await Start();
        var ada = (await host.Toto.CreateAccountAsync("ada", AuthHosts.Password)).Result.GetProperty("session_id").GetString();
        await using var someone = await SseClient.OpenAsync(host.Http, "/events?topics=user.ada.*");
        await using var adaStream = await SseClient.OpenAsync(host.Http, "/events?topics=user.ada.*", r => r.Headers.Add("x-toto-session-id", ada));
        await using var everything = await SseClient.OpenAsync(host.Http, "/events?topics=*");

        await Bus(host).PublishAsync("user.ada.inbox", "private");
        await Bus(host).PublishAsync("public.news", "open");

        Assert.Equal(403, someone.StatusCode);
        Assert.Equal("private", (await adaStream.NextAsync())!.Value.Data.GetString());
        Assert.Equal("public.news", (await everything.NextAsync())!.Value.Topic);
    }

    [Fact]
    public async Task Topics_IgnoreBlanksAndRepeats_AndMayBeGivenInParts()
    {
        await using var host = await Start();
        await using var stream = await SseClient.OpenAsync(host.Http, "/events?topics=a,,%20a%20,a&Topics=b");

        await Bus(host).PublishAsync("a", 1);
        await Bus(host).PublishAsync("b", 2);

        // Followed twice, "a" would arrive twice before "b".
        Assert.Equal("a", (await stream.NextAsync())!.Value.Topic);
        Assert.Equal("b", (await stream.NextAsync())!.Value.Topic);
    }

    [Fact]
    public async Task Resume_FromAQueryParameter_ForBrowsersThatCannotSetHeaders()
    {
        await using var host = await Start();
        var bus = Bus(host);
        var seen = await bus.PublishAsync("feed", 0);
        await bus.PublishAsync("feed", 1);

        await using var resumed = await SseClient.OpenAsync(host.Http, $"/events?topics=feed&last_event_id={seen.Id}");
        await bus.PublishAsync("feed", 2);

        Assert.Equal(1, (await resumed.NextAsync())!.Value.Data.GetInt32());
        Assert.Equal(2, (await resumed.NextAsync())!.Value.Data.GetInt32());
    }

    [Fact]
    public async Task Session_MayBeNamedInTheQuery_ForBrowsers()
    {
        await using var host = await Start();
        var ada = (await host.Toto.CreateAccountAsync("ada", AuthHosts.Password)).Result.GetProperty("session_id").GetString();

        await using var stream = await SseClient.OpenAsync(host.Http, $"/events?topics=user.ada&session_id={ada}");
        await Bus(host).PublishAsync("user.ada", "yours");

        Assert.Equal("yours", (await stream.NextAsync())!.Value.Data.GetString());
    }

    [Theory]
    [InlineData("/events", 400)]
    [InlineData("/events?topics=bad..topic", 400)]
    [InlineData("/events?topics=t0,t1,t2,t3,t4,t5,t6,t7,t8,t9,t10,t11,t12,t13,t14,t15,t16,t17,t18,t19,t20,t21,t22,t23,t24,t25,t26,t27,t28,t29,t30,t31,t32,t33,t34,t35,t36,t37,t38,t39,t40,t41,t42,t43,t44,t45,t46,t47,t48,t49,t50,t51,t52,t53,t54,t55,t56,t57,t58,t59,t60,t61,t62,t63,t64,t65,t66,t67,t68,t69,t70,t71,t72,t73,t74,t75,t76,t77,t78,t79,t80,t81,t82,t83,t84,t85,t86,t87,t88,t89,t90,t91,t92,t93,t94,t95,t96,t97,t98,t99,t100", 400)]
    [InlineData("/events?topics=,,,%20,", 400)]
    public async Task BadRequests_AreRefusedClearly(string url, int status)
    {
        await using var host = await Start();

        using var response = await host.Http.GetAsync(url);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AThousandTopics_AreRefused_SayingHowManyAreAllowed()
    {
        await using var host = await Start();

        using var response = await host.Http.GetAsync("/events?topics=" + string.Join(',', Enumerable.Range(0, 1000).Select(i => $"t{i}")));

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("at most 100 topic patterns", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SlowConsumer_IsCutOffWithAReason_WhileOthersKeepReceiving()
    {
        await using var host = await Start(o => o.Configuration["Tessera:Events:EventQueueCapacity"] = "50");
        await using var slow = await SseClient.OpenAsync(host.Http, "/events?topics=flood");
        await using var fast = await SseClient.OpenAsync(host.Http, "/events?topics=flood");
        var payload = new string('x', 8 * 1024);
        const int count = 2000;

        var received = 0;
        var reading = Task.Run(async () =>
        {
            while (Volatile.Read(ref received) < count && await fast.NextAsync(TimeSpan.FromSeconds(30)) is not null)
            {
                Interlocked.Increment(ref received);
            }

            return Volatile.Read(ref received);
        });

        // Published at the pace a reading client keeps up with; the client that never reads falls behind alone.
        for (var i = 0; i < count; i++)
        {
            await Bus(host).PublishAsync("flood", payload);
            while (i - Volatile.Read(ref received) > 20 && !reading.IsCompleted)
            {
                await Task.Delay(1);
            }
        }

        Assert.Equal(count, await reading.WaitAsync(TimeSpan.FromSeconds(60)));
        var slowBody = await slow.BodyAsync();
        Assert.Contains(": disconnected: more than 50 events waiting; reconnect with Last-Event-ID to resume", slowBody);
    }

    [Fact]
    public async Task IdleStream_GetsAKeepAliveEachHeartbeat_AndEventsStillFlow()
    {
        await using var host = await Start(o => o.Configuration["Tessera:Events:EventHeartbeat"] = "1");
        await using var stream = await SseClient.OpenAsync(host.Http, "/events?topics=quiet");

        var clock = Stopwatch.StartNew();
        Assert.Equal(": keep-alive", await stream.ReadLineAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(string.Empty, await stream.ReadLineAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(": keep-alive", await stream.ReadLineAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.5), $"two keep-alives came {clock.Elapsed.TotalMilliseconds} ms apart at most");

        var published = await Bus(host).PublishAsync("quiet", "after the beats");
        Assert.Equal(published.Id, (await stream.NextAsync())!.Value.Id);
    }

    [Fact]
    public async Task StreamsThatEnd_AreForgotten_OverManyRounds()
    {
        await using var host = await Start();
        var streams = host.Services.GetRequiredService<SseStreams>();

        for (var round = 0; round < 50; round++)
        {
            var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SseClient.OpenAsync(host.Http, "/events?topics=round")));
            Assert.True(streams.OpenCount >= 4, $"round {round}: {streams.OpenCount} streams open");
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }

        // The server notices each client leaving when its connection closes.
        var deadline = Stopwatch.StartNew();
        while (streams.OpenCount > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Equal(0, streams.OpenCount);
    }

    [Fact]
    public async Task StoppingTheApplication_EndsEveryStream()
    {
        await using var host = await Start();
        await using var first = await SseClient.OpenAsync(host.Http, "/events?topics=a");
        await using var second = await SseClient.OpenAsync(host.Http, "/events?topics=b");

        // A graceful stop (SIGTERM) waits for requests in flight: each stream must end by itself, cleanly (the body
        // completes), rather than hold the stop until the shutdown timeout cuts its connection.
        var clock = Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(string.Empty, await first.BodyAsync());
        Assert.Equal(string.Empty, await second.BodyAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the stop took {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task ThousandSubscribers_AllReceiveOneEvent()
    {
        await using var host = await Start();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = host.Http.BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        var streams = new SseClient[1000];
        for (var batch = 0; batch < streams.Length; batch += 100)
        {
            await Task.WhenAll(Enumerable.Range(batch, 100).Select(async i => streams[i] = await SseClient.OpenAsync(http, "/events?topics=fanout")));
        }

        try
        {
            var clock = Stopwatch.StartNew();
            var published = Bus(host).PublishAsync("fanout", new { hello = "everyone" });
            var latencies = await Task.WhenAll(streams.Select(async stream =>
            {
                var received = await stream.NextAsync(TimeSpan.FromSeconds(60));
                Assert.Equal("everyone", received!.Value.Data.GetProperty("hello").GetString());
                return clock.Elapsed.TotalMilliseconds;
            }));
            await published;

            Array.Sort(latencies);
            output.WriteLine($"1000 SSE subscribers: publish-to-receive p50 {latencies[499]:F1} ms, p99 {latencies[989]:F1} ms, max {latencies[^1]:F1} ms");
            Assert.Equal(1000, latencies.Length);
        }
        finally
        {
            await Task.WhenAll(streams.Where(s => s is not null).Select(s => s.DisposeAsync().AsTask()));
        }
    }
}
