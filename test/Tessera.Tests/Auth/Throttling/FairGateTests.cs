using Tessera.Auth.Throttling;

namespace Tessera.Tests.Auth.Throttling;

/// <summary>The password-hashing gate shares its slots between client addresses, not between connections.</summary>
public sealed class FairGateTests
{
    [Fact]
    public async Task AFloodFromOnePartition_DoesNotQueueAheadOfSomeoneElse()
    {
        var gate = new FairGate(1);
        await gate.EnterAsync("busy", default);
        var flood = Enumerable.Range(0, 16).Select(_ => gate.EnterAsync("attacker", default)).ToList();
        var legitimate = gate.EnterAsync("someone", default);

        gate.Release();

        await legitimate.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.All(flood, waiter => Assert.False(waiter.IsCompleted));
        gate.Release();
        await flood[0].WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(15, gate.Waiting);
    }

    [Fact]
    public async Task Partitions_TakeTurns()
    {
        var gate = new FairGate(1);
        await gate.EnterAsync("first", default);
        var a = Enumerable.Range(0, 3).Select(_ => gate.EnterAsync("a", default)).ToList();
        var b = Enumerable.Range(0, 3).Select(_ => gate.EnterAsync("b", default)).ToList();
        var order = new List<string>();

        for (var i = 0; i < 6; i++)
        {
            gate.Release();
            var granted = await Task.WhenAny(a.Concat(b).Where(t => !order.Contains(Name(t)))).WaitAsync(TimeSpan.FromSeconds(5));
            order.Add(Name(granted));
        }

        Assert.Equal(["b0", "a0", "b1", "a1", "b2", "a2"], order);

        string Name(Task t) => a.Contains(t) ? $"a{a.IndexOf(t)}" : $"b{b.IndexOf(t)}";
    }

    [Fact]
    public async Task ACancelledWaiter_IsSkipped_AndItsSlotGoesToTheNext()
    {
        var gate = new FairGate(1);
        await gate.EnterAsync("x", default);
        using var cancel = new CancellationTokenSource();
        var leaving = gate.EnterAsync("y", cancel.Token);
        var staying = gate.EnterAsync("z", default);

        await cancel.CancelAsync();
        gate.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        await staying.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task APartitionWithItsShareWaiting_IsRefusedAtOnce_OthersStillQueue()
    {
        var gate = new FairGate(1);
        await gate.EnterAsync("busy", default);
        using var cancel = new CancellationTokenSource();
        var first = gate.TryEnterAsync("flood", maxWaiting: 2, cancel.Token);
        var second = gate.TryEnterAsync("flood", maxWaiting: 2, default);

        var third = gate.TryEnterAsync("flood", maxWaiting: 2, default);
        var someoneElse = gate.TryEnterAsync("other", maxWaiting: 2, default);

        Assert.True(third.IsCompleted, "a refusal must not wait");
        Assert.False(await third);
        Assert.False(someoneElse.IsCompleted);
        Assert.False(first.IsCompleted || second.IsCompleted);

        // A waiter that gave up no longer counts: the partition may queue one more.
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var fourth = gate.TryEnterAsync("flood", maxWaiting: 2, default);
        Assert.False(fourth.IsCompleted);

        gate.Release();
        gate.Release();
        gate.Release();
        Assert.True(await someoneElse.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await fourth.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ManyRounds_NeverExceedTheSlots_AndEveryoneGetsIn()
    {
        var gate = new FairGate(2);
        var inside = 0;
        var peak = 0;
        var tasks = Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            using var cancel = new CancellationTokenSource();
            if (i % 7 == 0)
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(1));
            }

            try
            {
                await gate.EnterAsync($"p{i % 5}", cancel.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref peak, now);
            await Task.Yield();
            Interlocked.Decrement(ref inside);
            gate.Release();
            return true;
        })).ToList();

        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(peak, 1, 2);
        Assert.True(results.Count(r => r) >= 400 - (400 / 7) - 1);
        Assert.Equal(0, gate.Waiting);
        // Both slots are free again: two enter at once without waiting.
        Assert.True(gate.EnterAsync("end", default).IsCompletedSuccessfully);
        Assert.True(gate.EnterAsync("end", default).IsCompletedSuccessfully);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
