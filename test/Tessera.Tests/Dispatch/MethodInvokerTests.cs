using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Dispatch;

namespace Tessera.Tests.Dispatch;

/// <summary>
/// A method's first calls go through reflection while its compiled invoker is made in the background: both paths must
/// give the same answers for every return shape, and the same exceptions, and the switch must happen once.
/// </summary>
public sealed class MethodInvokerTests
{
    public sealed class Shapes
    {
        public static int Seen;

        public static long Static(long a, long b) => a * b;

        public void Nothing(int x) => Interlocked.Add(ref Seen, x);

        public int Value(int x) => x + 1;

        public string? Reference(string? text) => text;

        public Task TaskDone() => Task.CompletedTask;

        public async Task TaskLater()
        {
            await Task.Yield();
            Interlocked.Increment(ref Seen);
        }

        public Task<int> TaskOfDone(int x) => Task.FromResult(x * 2);

        public async Task<string> TaskOfLater(string text)
        {
            await Task.Yield();
            return text + "!";
        }

        public ValueTask ValueTaskDone() => default;

        public async ValueTask ValueTaskLater() => await Task.Yield();

        public ValueTask<int> ValueTaskOfDone(int x) => new(x * 3);

        public async ValueTask<int> ValueTaskOfLater(int x)
        {
            await Task.Yield();
            return x * 4;
        }

        public int Throws(int x) => throw new InvalidOperationException($"thrown {x}");

        public Task<int> Faulted(int x) => Task.FromException<int>(new ArgumentException($"faulted {x}"));

        public async Task<int> ThrowsLater(int x)
        {
            await Task.Yield();
            throw new FormatException($"later {x}");
        }

        public ValueTask<int> ValueTaskFaulted(int x) => ValueTask.FromException<int>(new TimeoutException($"value task {x}"));

        public Task Canceled() => Task.FromCanceled(new CancellationToken(canceled: true));
    }

    public static TheoryData<string, object?[], string> Calls => new()
    {
        { nameof(Shapes.Static), [6L, 7L], "ok 42" },
        { nameof(Shapes.Nothing), [0], "ok (null)" },
        { nameof(Shapes.Value), [41], "ok 42" },
        { nameof(Shapes.Reference), ["ada"], "ok ada" },
        { nameof(Shapes.Reference), [null], "ok (null)" },
        { nameof(Shapes.TaskDone), [], "ok (null)" },
        { nameof(Shapes.TaskLater), [], "ok (null)" },
        { nameof(Shapes.TaskOfDone), [21], "ok 42" },
        { nameof(Shapes.TaskOfLater), ["hi"], "ok hi!" },
        { nameof(Shapes.ValueTaskDone), [], "ok (null)" },
        { nameof(Shapes.ValueTaskLater), [], "ok (null)" },
        { nameof(Shapes.ValueTaskOfDone), [14], "ok 42" },
        { nameof(Shapes.ValueTaskOfLater), [10], "ok 40" },
        { nameof(Shapes.Throws), [1], "InvalidOperationException: thrown 1" },
        { nameof(Shapes.Faulted), [2], "ArgumentException: faulted 2" },
        { nameof(Shapes.ThrowsLater), [3], "FormatException: later 3" },
        { nameof(Shapes.ValueTaskFaulted), [4], "TimeoutException: value task 4" },
        { nameof(Shapes.Canceled), [], "TaskCanceledException: A task was canceled." },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Reflected_AnswersAsCompiled(string name, object?[] arguments, string expected)
    {
        var method = typeof(Shapes).GetMethod(name)!;
        var target = method.IsStatic ? null : new Shapes();

        var compiled = await Outcome(() => MethodInvokerFactory.Compile(method, handler: null)(target, [.. arguments]));
        var reflected = await Outcome(() => new ReflectedInvoker(method, handler: null).Invoke(target, [.. arguments]));

        Assert.Equal(expected, compiled);
        Assert.Equal(compiled, reflected);
    }

    public static TheoryData<Delegate, object?[], string> Handlers => new()
    {
        { (int a, int b) => a + b, [40, 2], "ok 42" },
        { Shapes.Static, [6L, 7L], "ok 42" },
        { (string name) => Task.FromResult($"hello {name}"), ["ada"], "ok hello ada" },
        { new Func<int, int>(x => throw new InvalidOperationException($"handler {x}")), [5], "InvalidOperationException: handler 5" },
    };

    [Theory]
    [MemberData(nameof(Handlers))]
    public async Task Reflected_CallsADelegateAsCompiled(Delegate handler, object?[] arguments, string expected)
    {
        var compiled = await Outcome(() => MethodInvokerFactory.Compile(handler.Method, handler)(null, [.. arguments]));
        var reflected = await Outcome(() => new ReflectedInvoker(handler.Method, handler).Invoke(null, [.. arguments]));

        Assert.Equal(expected, compiled);
        Assert.Equal(compiled, reflected);
    }

    [Fact]
    public async Task Reflected_ThrowsTheMethodsOwnException_WithItsStack()
    {
        var method = typeof(Shapes).GetMethod(nameof(Shapes.Throws))!;

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(async () => await new ReflectedInvoker(method, null).Invoke(new Shapes(), [9]));

        Assert.Contains(nameof(Shapes.Throws), thrown.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void Reflected_CompletesAtOnce_WhereCompiledDoes()
    {
        // The dispatcher answers a call that completed at once without an async step; the reflected path must keep that.
        foreach (var name in new[] { nameof(Shapes.Value), nameof(Shapes.TaskDone), nameof(Shapes.TaskOfDone), nameof(Shapes.ValueTaskOfDone) })
        {
            var method = typeof(Shapes).GetMethod(name)!;
            object?[] arguments = method.GetParameters().Length == 0 ? [] : [1];

            Assert.True(MethodInvokerFactory.Compile(method, null)(new Shapes(), arguments).IsCompletedSuccessfully, name);
            Assert.True(new ReflectedInvoker(method, null).Invoke(new Shapes(), arguments).IsCompletedSuccessfully, name);
        }
    }

    [Fact]
    public async Task Background_CompilesOnce_HoweverManyCallersRace_ThenServesTheCompiledDelegate()
    {
        for (var round = 0; round < 200; round++)
        {
            var compiles = 0;
            Func<int> made = () => round;
            var compiled = new CompiledInBackground<Func<int>>(() =>
            {
                Interlocked.Increment(ref compiles);
                return made;
            });
            using var start = new Barrier(4);

            var firstLooks = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return compiled.TryGet();
            })));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!compiled.IsCompiled && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1);
            }

            Assert.Contains(null, firstLooks);
            Assert.Same(made, compiled.TryGet());
            Assert.Equal(1, Volatile.Read(ref compiles));
        }
    }

    [Fact]
    public async Task Background_CompileThatFails_LeavesTheSlowPath_AndThePoolRunning()
    {
        using var tried = new SemaphoreSlim(0);
        var compiled = new CompiledInBackground<Func<int>>(() =>
        {
            tried.Release();
            throw new InvalidOperationException("cannot compile");
        });

        Assert.Null(compiled.TryGet());
        Assert.True(await tried.WaitAsync(TimeSpan.FromSeconds(10)));
        await Task.Run(() => { }); // the pool still runs work after the failed item

        Assert.Null(compiled.TryGet());
        Assert.False(compiled.IsCompiled);
        Assert.Equal(0, tried.CurrentCount); // tried once, not again on the later look
    }

    [Fact]
    public async Task Invoker_AnswersTheSameBeforeAndAfterItsCompileLands()
    {
        var invoker = MethodInvokerFactory.Create(typeof(Shapes).GetMethod(nameof(Shapes.TaskOfLater))!, handler: null);
        var target = new Shapes();

        for (var i = 0; i < 2_000; i++)
        {
            Assert.Equal($"{i}!", await invoker(target, [i.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        }
    }

    public sealed class Clock
    {
        public int Reads;
    }

    public sealed class Stamped(Clock clock, int offset = 5)
    {
        [Method] public int Stamp() => Interlocked.Increment(ref clock.Reads) + offset;
    }

    [Fact]
    public async Task Call_ClassWithServicesInItsConstructor_GetsThemOnItsFirstCallsAndAfter()
    {
        // The first calls create the class through reflection, later ones through the compiled factory: the same
        // constructor, the same services, the same default for a parameter no service fills.
        await using var host = await TesseraTestHost.StartAsync(t =>
        {
            t.Methods.AddType<Stamped>();
            t.Services.AddSingleton<Clock>();
        });

        for (var call = 1; call <= 300; call++)
        {
            Assert.Equal(call + 5, (await host.Toto.CallAsync("stamped.stamp")).Result.GetInt32());
        }
    }

    // Whether a call that awaits something has finished by the time it returns is a race, so only the outcome is
    // compared; Reflected_CompletesAtOnce_WhereCompiledDoes covers calls that finish at once.
    private static async Task<string> Outcome(Func<ValueTask<object?>> invoke)
    {
        try
        {
            return $"ok {await invoke() ?? "(null)"}";
        }
        catch (Exception exception) when (exception is not TargetInvocationException)
        {
            return $"{exception.GetType().Name}: {exception.Message}";
        }
    }
}
