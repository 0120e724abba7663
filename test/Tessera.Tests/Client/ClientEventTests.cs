using Tessera.Client;
using Tessera.Events;

namespace Tessera.Tests.Client;

/// <summary>Subscribing through TesseraClient over SSE and the WebSocket, and resuming across a service restart.</summary>
public sealed class ClientEventTests
{
    [Theory]
    [InlineData(TesseraWire.JsonRpc)]
    [InlineData(TesseraWire.WebSocket)]
    public async Task Subscribe_ReceivesPublishedEvents_InOrder(TesseraWire wire)
    {
        await using var host = await ClientHosts.StartAsync();
        await using var publisher = ClientHosts.Client(host);
        await publisher.Accounts.CreateAsync("herald", AuthHosts.Password);
        await using var listener = ClientHosts.Client(host, o => o.Wire = wire);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var received = new List<TesseraEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var published in listener.Events.SubscribeAsync("announcements", cancellationToken: stop.Token))
            {
                received.Add(published);
                if (received.Count == 3)
                {
                    return;
                }
            }
        });
        await PublishUntilSeenAsync(publisher, received, stop.Token);
        await publisher.CallAsync<long>("announcement.post", new { text = "two" });
        await publisher.CallAsync<long>("announcement.post", new { text = "three" });
        await reading.WaitAsync(stop.Token);

        Assert.All(received, e => Assert.Equal("announcements", e.Topic));
        Assert.Equal(["two", "three"], received.Skip(1).Select(e => e.Data.GetProperty("text").GetString()));
        Assert.True(received[0].Id < received[1].Id && received[1].Id < received[2].Id);
    }

    [Theory]
    [InlineData(TesseraWire.JsonRpc)]
    [InlineData(TesseraWire.WebSocket)]
    public async Task AcrossAServiceRestart_NothingIsLost_AndNothingRepeats(TesseraWire wire)
    {
        await using var hello = await HelloServiceOnFile.StartAsync();
        await using var listener = new TesseraClient(new TesseraClientOptions { BaseAddress = new Uri(hello.Url), Wire = wire });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<TesseraEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var published in listener.Events.SubscribeAsync("announcements", cancellationToken: stop.Token))
            {
                lock (received)
                {
                    received.Add(published);
                    if (received.Count(e => e.Data.GetProperty("text").GetString()!.StartsWith("after", StringComparison.Ordinal)) == 3)
                    {
                        return;
                    }
                }
            }
        });
        await PublishUntilSeenAsync(hello.Publisher, received, stop.Token);
        await hello.AnnounceAsync("before");

        await hello.StopAsync();
        await hello.StartAgainAsync();
        // Published while the listener is still reconnecting: the log replays them after Last-Event-ID.
        foreach (var text in new[] { "after 1", "after 2", "after 3" })
        {
            await hello.AnnounceAsync(text);
        }

        await reading.WaitAsync(stop.Token);

        var texts = received.Select(e => e.Data.GetProperty("text").GetString()).ToList();
        Assert.Equal(["before", "after 1", "after 2", "after 3"], texts.SkipWhile(t => t != "before"));
        Assert.Equal(received.Count, received.Select(e => e.Id).Distinct().Count());
    }

    [Theory]
    [InlineData(TesseraWire.JsonRpc)]
    [InlineData(TesseraWire.WebSocket)]
    public async Task Subscribing_WhileTheServiceIsDown_WaitsForIt_AndMissesNothing(TesseraWire wire)
    {
        await using var hello = await HelloServiceOnFile.StartAsync();
        var first = await hello.AnnounceAsync("first");
        await hello.StopAsync();

        // The subscription starts with nothing listening on the port, as it does when a client starts before its
        // service or during a restart: it must wait and resume, as it does after a drop, not fail.
        await using var listener = new TesseraClient(new TesseraClientOptions { BaseAddress = new Uri(hello.Url), Wire = wire });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<TesseraEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var published in listener.Events.SubscribeAsync("announcements", first, stop.Token))
            {
                received.Add(published);
                if (received.Count == 2)
                {
                    return;
                }
            }
        });
        await Task.Delay(700, stop.Token);
        Assert.False(reading.IsCompleted, reading.Exception?.ToString());

        await hello.StartAgainAsync();
        await hello.AnnounceAsync("second");
        await hello.AnnounceAsync("third");
        await reading.WaitAsync(stop.Token);

        Assert.Equal(["second", "third"], received.Select(e => e.Data.GetProperty("text").GetString()));
    }

    [Theory]
    [InlineData(TesseraWire.JsonRpc)]
    [InlineData(TesseraWire.WebSocket)]
    public async Task PrivateTopics_ReachOnlyTheirUser_AsUserMe(TesseraWire wire)
    {
        await using var host = await ClientHosts.StartAsync();
        await using var sender = ClientHosts.Client(host);
        await sender.Accounts.CreateAsync("sender", AuthHosts.Password);
        await using var ada = ClientHosts.Client(host, o => o.Wire = wire);
        await ada.Accounts.CreateAsync("ada", AuthHosts.Password);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var received = new List<TesseraEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var published in ada.Events.SubscribeAsync("user.me.*", cancellationToken: stop.Token))
            {
                lock (received)
                {
                    received.Add(published);
                }

                if (published.Data.GetProperty("message").GetString() == "last")
                {
                    return;
                }
            }
        });
        // Until the subscription is live, messages may go unseen; then one last one ends the read.
        while (true)
        {
            await sender.CallAsync<long>("inbox.send", new { user_id = "ada", message = "hello" }, stop.Token);
            await Task.Delay(100, stop.Token);
            lock (received)
            {
                if (received.Count > 0)
                {
                    break;
                }
            }
        }

        await sender.CallAsync<long>("inbox.send", new { user_id = "ada", message = "last" }, stop.Token);
        await reading.WaitAsync(stop.Token);

        Assert.All(received, e => Assert.Equal("user.me.inbox", e.Topic));
        Assert.All(received, e => Assert.Equal("sender", e.Data.GetProperty("from").GetString()));
    }

    [Theory]
    [InlineData(TesseraWire.JsonRpc)]
    [InlineData(TesseraWire.WebSocket)]
    public async Task RefusedTopics_ThrowTheSameCallErrorOnEveryWire_WithTheServicesReason(TesseraWire wire)
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host, o => o.Wire = wire);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var notAPattern = await Assert.ThrowsAsync<TesseraCallException>(() => FirstAsync(client.Events.SubscribeAsync("announcement*", cancellationToken: stop.Token)));
        var privateTopic = await Assert.ThrowsAsync<TesseraCallException>(() => FirstAsync(client.Events.SubscribeAsync("user.me.*", cancellationToken: stop.Token)));

        Assert.Equal(-32602, notAPattern.Code);
        Assert.Contains("'announcement*' is not a topic pattern", notAPattern.Message);
        Assert.Equal(1004, privateTopic.Code);
    }

    private static async Task FirstAsync(IAsyncEnumerable<TesseraEvent> events)
    {
        await foreach (var _ in events)
        {
            return;
        }
    }

    [Fact]
    public async Task LeavingTheLoop_ClosesTheStream_InsteadOfDrainingIt()
    {
        await using var host = await ClientHosts.StartAsync();
        var bus = host.Services.GetRequiredService<EventBus>();
        await using var publisher = ClientHosts.Client(host);
        await publisher.Accounts.CreateAsync("herald", AuthHosts.Password);
        // HttpClient reads what is left of an abandoned response so it can reuse the connection: for an endless event
        // stream, until ResponseDrainTimeout. Set long here, the server would keep the subscriber for half a minute.
        var handler = new SocketsHttpHandler { ResponseDrainTimeout = TimeSpan.FromSeconds(30) };
        await using var listener = new TesseraClient(new HttpClient(handler), new TesseraClientOptions { BaseAddress = host.Http.BaseAddress });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var others = bus.SubscriptionCount;

        var received = new List<TesseraEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var published in listener.Events.SubscribeAsync("announcements", cancellationToken: stop.Token))
            {
                lock (received)
                {
                    received.Add(published);
                }

                break;
            }
        });
        await PublishUntilSeenAsync(publisher, received, stop.Token);
        await reading.WaitAsync(stop.Token);

        // The service sees the stream close and drops its subscriber at once, well before a drain would have ended.
        while (bus.SubscriptionCount > others)
        {
            await Task.Delay(20, stop.Token);
        }

        Assert.Single(received);
    }

    /// <summary>A subscription is live once it sees an event: publish "ready" until the first one arrives.</summary>
    private static async Task PublishUntilSeenAsync(TesseraClient publisher, List<TesseraEvent> received, CancellationToken cancellationToken)
    {
        while (true)
        {
            await publisher.CallAsync<long>("announcement.post", new { text = "ready" }, cancellationToken);
            await Task.Delay(100, cancellationToken);
            lock (received)
            {
                if (received.Count > 0)
                {
                    return;
                }
            }
        }
    }
}
