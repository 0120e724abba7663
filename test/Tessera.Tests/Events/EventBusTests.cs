using System.Collections.Concurrent;
using Tessera.Events;

namespace Tessera.Tests.Events;

public sealed class EventBusTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private TesseraTestHost _host = null!;

    private IEventBus Bus => _host.Services.GetRequiredService<IEventBus>();

    public async Task InitializeAsync() => _host = await TesseraTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the expected deliveries did not arrive");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Publish_AssignsIncreasingIds_AndHandlersSeeEventsInOrder()
    {
        var seen = new ConcurrentQueue<long>();
        using var subscription = Bus.Subscribe("order.*", e => { seen.Enqueue(e.Data.GetProperty("n").GetInt64()); return ValueTask.CompletedTask; });

        var ids = new List<long>();
        for (var i = 0; i < 100; i++)
        {
            ids.Add((await Bus.PublishAsync("order.placed", new { n = i })).Id);
        }

        await Until(() => seen.Count == 100);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), seen);
        Assert.Equal(ids.Order(), ids);
    }

    [Fact]
    public async Task OneShotHandler_RunsOnce_PersistentHandler_RunsForEach()
    {
        var once = 0;
        var always = 0;
        using var first = Bus.Subscribe("tick", _ => { Interlocked.Increment(ref once); return ValueTask.CompletedTask; }, once: true);
        using var second = Bus.Subscribe("tick", _ => { Interlocked.Increment(ref always); return ValueTask.CompletedTask; });

        for (var i = 0; i < 3; i++)
        {
            await Bus.PublishAsync("tick", i);
        }

        // Each handler runs on its own loop, so the persistent one may finish first: wait for both, then for any
        // extra run of the one-shot handler a fourth event could still set off.
        await Until(() => Volatile.Read(ref always) == 3 && Volatile.Read(ref once) >= 1);
        await Bus.PublishAsync("tick", 3);
        await Until(() => Volatile.Read(ref always) == 4);
        Assert.Equal(1, Volatile.Read(ref once));
    }

    [Theory]
    [InlineData("chat.*", "chat.message", true)]
    [InlineData("chat.*", "chat.room.42", true)]
    [InlineData("chat.*", "chatter.message", false)]
    [InlineData("chat.*", "chat", false)]
    [InlineData("chat.message", "chat.message", true)]
    [InlineData("chat.message", "chat.messages", false)]
    [InlineData("*", "anything.at.all", true)]
    public void Pattern_MatchesTopics(string pattern, string topic, bool matches) =>
        Assert.Equal(matches, TopicPattern.Parse(pattern).Matches(topic));

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a b")]
    [InlineData("a.*.b")]
    [InlineData("**")]
    public void Pattern_Invalid_IsRefusedWithAClearMessage(string pattern)
    {
        var failure = Assert.Throws<ArgumentException>(() => TopicPattern.Parse(pattern));
        Assert.Contains("is not a topic pattern", failure.Message);
    }

    [Fact]
    public async Task Publish_InvalidTopic_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Bus.PublishAsync("bad topic", 1));
    }

    [Fact]
    public async Task FailingHandler_IsIsolated()
    {
        var healthy = 0;
        using var broken = Bus.Subscribe("x", _ => throw new InvalidOperationException("handler bug"));
        using var fine = Bus.Subscribe("x", _ => { Interlocked.Increment(ref healthy); return ValueTask.CompletedTask; });

        await Bus.PublishAsync("x", 1);
        await Bus.PublishAsync("x", 2);

        await Until(() => Volatile.Read(ref healthy) == 2);
    }

    [Fact]
    public async Task WaitAsync_ReturnsTheNextEvent()
    {
        var waiting = Bus.WaitAsync("news.*", TimeSpan.FromSeconds(10));
        await Bus.PublishAsync("sports", 0);
        await Bus.PublishAsync("news.today", new { headline = "hi" });

        var received = await waiting.WaitAsync(Wait);

        Assert.Equal("news.today", received!.Topic);
        Assert.Equal("hi", received.Data.GetProperty("headline").GetString());
    }

    [Fact]
    public async Task WaitAsync_TimesOutWithNull()
    {
        Assert.Null(await Bus.WaitAsync("never", TimeSpan.FromMilliseconds(100)).WaitAsync(Wait));
    }

    [Fact]
    public async Task WaitAsync_CancelledByTheCaller_Throws()
    {
        using var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bus.WaitAsync("never", TimeSpan.FromMinutes(1), gone.Token).WaitAsync(Wait));
    }

    [Fact]
    public async Task LongPoll_ThroughAMethod_AnswersTheEvent_AndShutdownReleasesWaiters()
    {
        await using var host = await TesseraTestHost.StartAsync(t => t.Methods.Add("inbox.next", async (IEventBus bus, CancellationToken ct) =>
            (await bus.WaitAsync("inbox", TimeSpan.FromMinutes(1), ct))?.Data), o => o.UseKestrel = true);
        var bus = host.Services.GetRequiredService<EventBus>();
        var others = bus.SubscriptionCount;

        // Published only once the call waits: an event before it is not the one it waits for.
        var first = host.Toto.CallAsync("inbox.next");
        await Until(() => bus.SubscriptionCount > others);
        await bus.PublishAsync("inbox", new { text = "mail" });
        var answered = await first.WaitAsync(Wait);
        var pending = host.Toto.CallAsync("inbox.next");
        await Until(() => bus.SubscriptionCount > others);
        var stopping = host.StopAsync();
        var released = await pending.WaitAsync(Wait);
        await stopping.WaitAsync(Wait);

        Assert.Equal("mail", answered.Result.GetProperty("text").GetString());
        Assert.Equal("""{"result":null}""", released.Body);
    }

    [Fact]
    public async Task LongPoll_ClientDisconnects_ReleasesTheWaiter()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TesseraTestHost.StartAsync(t => t.Methods.Add("inbox.next", async (IEventBus bus, CancellationToken ct) =>
        {
            try
            {
                return (await bus.WaitAsync("inbox", TimeSpan.FromMinutes(1), ct))?.Data;
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
                throw;
            }
        }), o => o.UseKestrel = true);
        using var leaving = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Toto.CallAsync("inbox.next", cancellationToken: leaving.Token));

        await cancelled.Task.WaitAsync(Wait);
    }

    [Fact]
    public async Task ManySubscribers_JoinAndLeaveWithoutCopyingTheOthers_AndAllStillReceive()
    {
        var bus = _host.Services.GetRequiredService<EventBus>();
        var received = 0;
        var subscriptions = new List<IDisposable>();
        for (var i = 0; i < 5_000; i++)
        {
            subscriptions.Add(bus.AddInline(TopicPattern.Parse("crowd"), userId: null, trusted: true, once: false, _ => Interlocked.Increment(ref received)));
        }

        // One more joining and leaving costs its own entry, not a copy of the 5,000 others (a copied array was 40 KB).
        var before = GC.GetAllocatedBytesForCurrentThread();
        var extra = bus.AddInline(TopicPattern.Parse("crowd"), userId: null, trusted: true, once: false, _ => Interlocked.Increment(ref received));
        extra.Dispose();
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4_096);

        await bus.PublishAsync("crowd", new { });
        await Until(() => Volatile.Read(ref received) == 5_000);

        // Once they have left, an event reaches only a newcomer (delivery is in order, so when it has it, all would have).
        subscriptions.ForEach(s => s.Dispose());
        var newcomer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var last = bus.AddInline(TopicPattern.Parse("crowd"), userId: null, trusted: true, once: false, _ => newcomer.TrySetResult());
        await bus.PublishAsync("crowd", new { });
        await newcomer.Task.WaitAsync(Wait);
        Assert.Equal(5_000, Volatile.Read(ref received));
    }

    [Fact]
    public async Task Subscribers_AreReachedInTheOrderTheyJoined_AfterOthersLeft()
    {
        var bus = _host.Services.GetRequiredService<EventBus>();
        var reached = new ConcurrentQueue<int>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriptions = new List<IDisposable>();
        for (var i = 0; i < 200; i++)
        {
            var index = i;
            subscriptions.Add(bus.AddInline(TopicPattern.Parse("queue"), userId: null, trusted: true, once: false, _ =>
            {
                reached.Enqueue(index);
                if (index == 199)
                {
                    all.TrySetResult();
                }
            }));
        }

        // Every third leaves; the rest keep their places.
        for (var i = 0; i < 200; i += 3)
        {
            subscriptions[i].Dispose();
        }

        await bus.PublishAsync("queue", new { });
        await all.Task.WaitAsync(Wait);

        Assert.Equal(Enumerable.Range(0, 200).Where(i => i % 3 != 0), reached);
        subscriptions.ForEach(s => s.Dispose());
    }
}
