using Tessera.Wires.Sse;

namespace Tessera.Tests.Wires.Sse;

/// <summary>
/// The stream's own queue (one reader, many writers): nothing lost or reordered, every wait released, continuations
/// never run on a writer's thread. The races get many rounds.
/// </summary>
public sealed class SseStreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [ThreadStatic]
    private static bool t_insideOffer;

    private static EventMessage Event(long id, string topic = "t") => new(id, topic, default, DateTimeOffset.UnixEpoch);

    /// <summary>Reads as the endpoint does, until the stream ends.</summary>
    private static async Task<List<EventMessage>> ReadAllAsync(SseStream stream)
    {
        var read = new List<EventMessage>();
        while (await stream.WaitToReadAsync())
        {
            while (stream.TryRead(out var message))
            {
                if (!stream.IsHeartbeat(message))
                {
                    read.Add(message);
                }
            }
        }

        return read;
    }

    [Fact]
    public async Task ManyWriters_OneReader_EveryEventArrivesOnce_InEachWritersOrder()
    {
        const int Writers = 4, PerWriter = 500;
        for (var round = 0; round < 100; round++)
        {
            var stream = new SseStream(capacity: Writers * PerWriter);
            var reading = Task.Run(() => ReadAllAsync(stream));
            var writing = Enumerable.Range(0, Writers).Select(writer => Task.Run(() =>
            {
                for (var i = 0; i < PerWriter; i++)
                {
                    stream.Offer(Event((writer * 1_000_000) + i));
                    if (i % 50 == 0)
                    {
                        stream.Beat();
                    }
                }
            })).ToArray();
            await Task.WhenAll(writing).WaitAsync(Patience);
            stream.End();

            var read = await reading.WaitAsync(Patience);

            Assert.Equal(Writers * PerWriter, read.Count);
            Assert.False(stream.CutOff);
            foreach (var fromOneWriter in read.GroupBy(m => m.Id / 1_000_000))
            {
                Assert.Equal(Enumerable.Range(0, PerWriter).Select(i => (fromOneWriter.Key * 1_000_000) + i), fromOneWriter.Select(m => m.Id));
            }
        }
    }

    [Fact]
    public async Task EndingWhileTheReaderWaits_ReleasesIt_EveryRound()
    {
        for (var round = 0; round < 500; round++)
        {
            var stream = new SseStream(capacity: 10);
            var reading = Task.Run(() => ReadAllAsync(stream));
            await Task.Yield();
            if (round % 2 == 0)
            {
                stream.Offer(Event(round));
            }

            await Task.Run(stream.End);

            var read = await reading.WaitAsync(Patience);
            Assert.Equal(round % 2 == 0 ? 1 : 0, read.Count);
        }
    }

    [Fact]
    public async Task WhatWasQueuedBeforeTheEnd_IsStillRead_AndNothingAfter()
    {
        var stream = new SseStream(capacity: 10);
        stream.Offer(Event(1));
        stream.Offer(Event(2));
        stream.End();
        stream.Offer(Event(3));

        var read = await ReadAllAsync(stream).WaitAsync(Patience);

        Assert.Equal([1L, 2L], read.Select(m => m.Id));
        Assert.False(stream.CutOff);
    }

    [Fact]
    public async Task AFullQueue_CutsTheClientOff_Once_WithTheCallbacksState()
    {
        var calls = new List<object>();
        var owner = new object();
        var stream = new SseStream(capacity: 3, (s, state) => calls.Add(state), owner);

        for (var i = 0; i < 10; i++)
        {
            stream.Offer(Event(i));
        }

        Assert.True(stream.CutOff);
        Assert.Same(owner, Assert.Single(calls));
        // Three events and the heartbeat's slot were queued before the cut-off; what is queued can still be read.
        Assert.Equal(4, (await ReadAllAsync(stream).WaitAsync(Patience)).Count);
    }

    [Fact]
    public void OneHeartbeat_WaitsAtATime_AndTakingItAllowsTheNext()
    {
        var stream = new SseStream(capacity: 10);
        stream.Beat();
        stream.Beat();

        Assert.True(stream.TryRead(out var first));
        Assert.True(stream.IsHeartbeat(first));
        Assert.False(stream.TryRead(out _));

        stream.Beat();
        Assert.True(stream.TryRead(out var second));
        Assert.True(stream.IsHeartbeat(second));
    }

    [Fact]
    public void AHeartbeat_NeverCutsOffAClientThatKeptUp()
    {
        var stream = new SseStream(capacity: 2);
        stream.Offer(Event(1));
        stream.Offer(Event(2));
        stream.Beat();

        Assert.False(stream.CutOff);
    }

    [Fact]
    public async Task TheReader_NeverContinuesOnAWritersThread()
    {
        for (var round = 0; round < 200; round++)
        {
            var stream = new SseStream(capacity: 10);
            var continuedInsideOffer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiting = stream.WaitToReadAsync();
            var reading = Task.Run(async () =>
            {
                await waiting;
                continuedInsideOffer.TrySetResult(t_insideOffer);
            });

            await Task.Run(() =>
            {
                t_insideOffer = true;
                try
                {
                    stream.Offer(Event(round));
                }
                finally
                {
                    t_insideOffer = false;
                }
            });

            Assert.False(await continuedInsideOffer.Task.WaitAsync(Patience), "the reader ran inside Offer, on the publisher's thread");
            await reading;
        }
    }
}
