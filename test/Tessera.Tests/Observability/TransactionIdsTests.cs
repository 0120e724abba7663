using System.Collections.Concurrent;
using Tessera.Observability;

namespace Tessera.Tests.Observability;

public sealed class TransactionIdsTests
{
    [Fact]
    public void Ids_FromManyThreadsAtOnce_NeverRepeat()
    {
        var ids = new TransactionIds();
        var seen = new ConcurrentDictionary<Guid, byte>();
        var repeats = 0;

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                if (!seen.TryAdd(ids.Next(), 0))
                {
                    Interlocked.Increment(ref repeats);
                }
            }
        });

        Assert.Equal(0, repeats);
        Assert.Equal(400_000, seen.Count);
    }

    [Fact]
    public void TwoProcesses_ShareNoId_AndConsecutiveIds_DoNotCountUpVisibly()
    {
        // Each process has its own generator; a generator stands in for one here.
        var first = new TransactionIds();
        var second = new TransactionIds();
        var a = Enumerable.Range(0, 10_000).Select(_ => first.Next()).ToList();
        var b = Enumerable.Range(0, 10_000).Select(_ => second.Next()).ToHashSet();

        Assert.DoesNotContain(a, b.Contains);
        // The second half of consecutive ids is scrambled: they are not neighbours.
        var lows = a.Take(100).Select(id => BitConverter.ToUInt64(id.ToByteArray(), 8)).ToList();
        Assert.True(lows.Zip(lows.Skip(1)).Count(pair => pair.Second - pair.First == 1) < 3);
    }
}
