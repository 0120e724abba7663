using System.Collections.Concurrent;

namespace Tessera.Tests.Dispatch.Filters;

public sealed class MethodFilterTests
{
    public sealed class Journal
    {
        public ConcurrentQueue<string> Entries { get; } = new();
    }

    private sealed class Outer(Journal journal) : IMethodFilter
    {
        public async ValueTask<object?> InvokeAsync(MethodInvocationContext invocation, MethodFilterDelegate next)
        {
            journal.Entries.Enqueue($"outer>{invocation.Call.MethodName}");
            var result = await next(invocation);
            journal.Entries.Enqueue("outer<");
            return result;
        }
    }

    private sealed class Inner(Journal journal) : IMethodFilter
    {
        public async ValueTask<object?> InvokeAsync(MethodInvocationContext invocation, MethodFilterDelegate next)
        {
            journal.Entries.Enqueue($"inner>{string.Join(",", invocation.Arguments)}");
            var result = await next(invocation);
            journal.Entries.Enqueue("inner<");
            return result;
        }
    }

    private sealed class Gate : IMethodFilter
    {
        public ValueTask<object?> InvokeAsync(MethodInvocationContext invocation, MethodFilterDelegate next) =>
            invocation.Arguments.Contains(13)
                ? throw new MethodException(4013, "unlucky")
                : invocation.Arguments.Contains(7) ? ValueTask.FromResult<object?>(777) : next(invocation);
    }

    private sealed class Hooks(Journal journal) : MethodHooks
    {
        protected override ValueTask OnBeforeAsync(MethodInvocationContext invocation)
        {
            journal.Entries.Enqueue($"before:{invocation.Call.TransactionId}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask OnAfterAsync(MethodInvocationContext invocation, object? result)
        {
            journal.Entries.Enqueue($"after:{result}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask OnFailedAsync(MethodInvocationContext invocation, Exception exception)
        {
            journal.Entries.Enqueue($"failed:{exception.GetType().Name}");
            return ValueTask.CompletedTask;
        }

        protected override ValueTask OnFinallyAsync(MethodInvocationContext invocation)
        {
            journal.Entries.Enqueue("finally");
            return ValueTask.CompletedTask;
        }
    }

    private static Task<TesseraTestHost> Start(Action<ITesseraBuilder> filters, Journal journal) =>
        TesseraTestHost.StartAsync(t =>
        {
            t.Services.AddSingleton(journal);
            t.Methods.Add("math.add", (int a, int b) => a + b);
            t.Methods.Add("math.boom", Boom);
            filters(t);
        });

    private static int Boom() => throw new InvalidOperationException("boom");

    [Fact]
    public async Task Filters_RunInRegistrationOrder_AroundTheMethod()
    {
        var journal = new Journal();
        await using var host = await Start(t => t.AddFilter<Outer>().AddFilter<Inner>(), journal);

        var response = await host.Toto.CallAsync("math.add", new { a = 1, b = 2 });

        Assert.Equal(3, response.Result.GetInt32());
        Assert.Equal(["outer>math.add", "inner>1,2", "inner<", "outer<"], journal.Entries);
    }

    [Fact]
    public async Task Filter_CanShortCircuitOrRefuse()
    {
        await using var host = await Start(t => t.AddFilter<Gate>(), new Journal());

        Assert.Equal(777, (await host.Toto.CallAsync("math.add", new { a = 7, b = 1 })).Result.GetInt32());
        Assert.Equal(4013, (await host.Toto.CallAsync("math.add", new { a = 13, b = 1 })).ErrorCode);
        Assert.Equal(3, (await host.Toto.CallAsync("math.add", new { a = 1, b = 2 })).Result.GetInt32());
    }

    [Fact]
    public async Task Hooks_RunBeforeAfterAndFinally_OnSuccess()
    {
        var journal = new Journal();
        await using var host = await Start(t => t.AddFilter<Hooks>(), journal);

        await host.Toto.CallAsync("math.add", new { a = 1, b = 2 });

        var entries = journal.Entries.ToArray();
        Assert.Matches("^before:[0-9a-f-]{36}$", entries[0]);
        Assert.Equal(["after:3", "finally"], entries[1..]);
    }

    [Fact]
    public async Task Hooks_RunFailedAndFinally_WhenTheMethodThrows()
    {
        var journal = new Journal();
        await using var host = await Start(t => t.AddFilter<Hooks>(), journal);

        var response = await host.Toto.CallAsync("math.boom");

        Assert.Equal(1000, response.ErrorCode);
        Assert.Equal(["failed:InvalidOperationException", "finally"], journal.Entries.ToArray()[1..]);
    }

    [Fact]
    public async Task Filters_RunForEachBatchEntry_WithItsOwnTransactionId()
    {
        var journal = new Journal();
        await using var host = await Start(t => t.AddFilter<Hooks>(), journal);

        await host.Toto.BatchAsync([("a", "math.add", new { a = 1, b = 1 }), ("b", "math.add", new { a = 2, b = 2 })]);

        var befores = journal.Entries.Where(e => e.StartsWith("before:")).ToArray();
        Assert.Equal(2, befores.Length);
        Assert.NotEqual(befores[0], befores[1]);
        Assert.Contains("after:2", journal.Entries);
        Assert.Contains("after:4", journal.Entries);
    }

    [Fact]
    public async Task Filters_DoNotRun_WhenBindingFails()
    {
        var journal = new Journal();
        await using var host = await Start(t => t.AddFilter<Outer>(), journal);

        var response = await host.Toto.CallAsync("math.add", new { a = 1 });

        Assert.Equal(1003, response.ErrorCode);
        Assert.Empty(journal.Entries);
    }
}
