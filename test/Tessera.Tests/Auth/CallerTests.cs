using Microsoft.AspNetCore.Http;
using Tessera.Auth;
using Tessera.Auth.Sessions;
using Tessera.Errors;

namespace Tessera.Tests.Auth;

/// <summary>The caller's once-per-request session look-up, under the concurrency of a batch.</summary>
public sealed class CallerTests
{
    private static Caller NewCaller() => new(new DefaultHttpContext(), Transports.Toto);

    [Fact]
    public void BatchEntriesAskingAtOnce_ShareOneAnonymousSessionGate()
    {
        for (var round = 0; round < 300; round++)
        {
            var caller = NewCaller();
            using var start = new Barrier(4);
            var gates = new SemaphoreSlim[4];
            var askers = Enumerable.Range(0, 4).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                gates[i] = caller.AnonymousGate;
            })).ToArray();
            Array.ForEach(askers, t => t.Start());
            Array.ForEach(askers, t => t.Join());

            Assert.All(gates, gate => Assert.Same(gates[0], gate));
        }
    }

    [Theory]
    [InlineData("", "topics")]
    [InlineData("?topics=a,b", "topics")]
    [InlineData("?Topics=a&other=1&TOPICS=b", "topics")]
    [InlineData("?topics=%61%2Cb+c&topics=", "topics")]
    [InlineData("?topics", "topics")]
    [InlineData("?a=1&&topics=x=y&", "topics")]
    [InlineData("?topics=%zz%", "topics")]
    [InlineData("?to%70ics=encoded+name", "topics")]
    [InlineData("?other=1", "topics")]
    [InlineData("?session_id=abc%2Bdef", "session_id")]
    public void Query_ReadsAParameter_AsRequestQueryDoes(string query, string name)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        var caller = new Caller(http, "sse", allowsQueryId: true);

        var read = caller.Query(name);

        Assert.Equal(http.Request.Query[name].ToString(), read);
    }

    [Fact]
    public async Task ManyAskersAtOnce_RunTheLookUpOnce_AndAllGetItsOutcome()
    {
        for (var round = 0; round < 200; round++)
        {
            var caller = NewCaller();
            var lookUps = 0;
            var release = new TaskCompletionSource();
            var refusal = new MethodError(1, $"round {round}");

            var askers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await caller.LoadOnceAsync(
                async (_, gate, _) =>
                {
                    Interlocked.Increment(ref lookUps);
                    await gate.Task;
                    return new SessionLoad(null, refusal);
                },
                release,
                CancellationToken.None))).ToArray();
            await Task.Delay(round % 3);
            release.SetResult();
            var outcomes = await Task.WhenAll(askers);

            Assert.Equal(1, lookUps);
            Assert.All(outcomes, outcome => Assert.Same(refusal, outcome.Error));
            // Asked again later, the outcome is remembered.
            Assert.Same(refusal, (await caller.LoadOnceAsync((_, _, _) => throw new InvalidOperationException("looked up twice"), 0, default)).Error);
        }
    }

    [Fact]
    public async Task AFailedLookUp_FailsThoseWaiting_AndTheNextAskerTriesAgain()
    {
        for (var round = 0; round < 100; round++)
        {
            var caller = NewCaller();
            var release = new TaskCompletionSource();
            var first = caller.LoadOnceAsync(async (_, gate, _) =>
            {
                await gate.Task;
                throw new TimeoutException("store outage");
            }, release, CancellationToken.None).AsTask();
            var waiting = caller.LoadOnceAsync((_, _, _) => throw new InvalidOperationException("ran while another was running"), 0, default).AsTask();
            release.SetResult();

            await Assert.ThrowsAsync<TimeoutException>(() => first);
            await Assert.ThrowsAsync<TimeoutException>(() => waiting);
            var retried = await caller.LoadOnceAsync((_, _, _) => ValueTask.FromResult(new SessionLoad(null, null)), 0, default);
            Assert.Null(retried.Error);
        }
    }
}
