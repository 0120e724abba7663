using System.Text;
using System.Text.Json;
using Tessera.Wires.Sse;

namespace Tessera.Tests.Wires.Sse;

public sealed class SseFramesTests
{
    private static EventMessage Event(long id, string data) =>
        new(id, "chat.message", JsonDocument.Parse(data).RootElement.Clone(), DateTimeOffset.UnixEpoch);

    [Fact]
    public void OneEvent_IsFormattedOnce_ForEveryStreamShowingItUnderTheSameTopic()
    {
        var message = Event(1_000_001, """{"text":"hi"}""");

        var first = SseFrames.For(message, "chat.message");
        var second = SseFrames.For(message, "chat.message");

        Assert.True(first.Span == second.Span, "the second stream should get the same bytes, not a copy");
        Assert.Equal("id: 1000001\nevent: chat.message\ndata: {\"text\":\"hi\"}\n\n", Encoding.UTF8.GetString(first.Span));
    }

    [Fact]
    public void AnotherTopicName_OrAnotherEventWithTheSameSlot_GetsItsOwnFrame()
    {
        var message = Event(2_000_001, """{"n":1}""");
        var sameId = Event(2_000_001, """{"n":2}""");
        var sameSlot = Event(2_000_001 + 256, """{"n":3}""");

        var shared = Encoding.UTF8.GetString(SseFrames.For(message, "chat.message").Span);
        var owner = Encoding.UTF8.GetString(SseFrames.For(message, "user.me.inbox").Span);
        var replayed = Encoding.UTF8.GetString(SseFrames.For(sameId, "chat.message").Span);
        var evicting = Encoding.UTF8.GetString(SseFrames.For(sameSlot, "chat.message").Span);
        var again = Encoding.UTF8.GetString(SseFrames.For(message, "chat.message").Span);

        Assert.Contains("event: chat.message\n", shared);
        Assert.Contains("event: user.me.inbox\n", owner);
        Assert.Contains("data: {\"n\":2}", replayed);
        Assert.Contains("id: 2000257\n", evicting);
        Assert.Equal(shared, again);
    }

    [Fact]
    public async Task ManyThreads_FormattingInterleavedEvents_EachGetsItsOwnEventsBytes()
    {
        var events = Enumerable.Range(0, 2_000).Select(i => Event(3_000_000 + i, $$"""{"i":{{i}}}""")).ToArray();
        var wrong = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var round = 0; round < 20; round++)
            {
                foreach (var message in events)
                {
                    var text = Encoding.UTF8.GetString(SseFrames.For(message, "chat.message").Span);
                    if (!text.StartsWith($"id: {message.Id}\n", StringComparison.Ordinal) || !text.Contains(message.Data.GetRawText(), StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
            }
        })));

        Assert.Equal(0, wrong);
    }
}
