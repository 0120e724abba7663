using System.IO;
using System.Reflection;
using System.Text.Json.Serialization;
using Tessera.Dispatch;

namespace Tessera.Tests.Dispatch;

public sealed class MethodRegistryTests
{
    public sealed class Greeting
    {
        [Method] public string Hello(string name) => $"hello {name}";
    }

    public sealed class OtherGreeting
    {
        [Method("greeting.hello")] public string Hi(string name) => name;
    }

    public sealed class Renamed
    {
        [Method("custom.deep.name")] public int Answer() => 42;
    }

    public sealed class Reserved
    {
        [Method("rpc.mine")] public int Mine() => 1;
    }

    public sealed class ReservedPath
    {
        [Method("events.publish")] public int Publish() => 1;
    }

    public sealed class BadName
    {
        [Method("has space")] public int X() => 1;
    }

    public sealed class Unbindable
    {
        [Method] public int Read(Stream body) => 1;
    }

    public sealed class ByReference
    {
        [Method] public void Fill(out int value) => value = 1;
    }

    public sealed class NotPublic
    {
        [Method] internal int Hidden() => 1;
    }

    public sealed class Generic
    {
        [Method] public T Echo<T>(T value) => value;
    }

    public sealed class SameWireName
    {
        [Method] public int Both(int userId, int user_id) => userId + user_id;
    }

    public interface IRepository;

    public sealed class UnregisteredInterface
    {
        [Method] public int Count(IRepository repository) => 1;
    }

    public static class Statics
    {
        [Method] public static int Twice(int x) => 2 * x;
    }

    public sealed class Counter
    {
        private int _calls;

        [Method] public int Next() => ++_calls;
    }

    public sealed class Disposing : IDisposable
    {
        public static int Disposed;

        [Method] public int Work() => 1;

        public void Dispose() => Interlocked.Increment(ref Disposed);
    }

    public abstract class AbstractMethods
    {
        [Method] public int Work() => 1;
    }

    public sealed class NoPublicConstructor
    {
        private NoPublicConstructor()
        {
        }

        [Method] public int Work() => 1;
    }

    public sealed class CollidingNames
    {
        [JsonPropertyName("same")] public int First { get; set; }

        [JsonPropertyName("same")] public int Second { get; set; }
    }

    public sealed class Colliding
    {
        [Method] public CollidingNames Make() => new();

        [Method] public int Fine() => 7;
    }

    private static async Task<string> StartupFailure(Action<ITesseraBuilder> configure)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => TesseraTestHost.StartAsync(configure));
        return failure.Message;
    }

    [Fact]
    public async Task AddingMethods_AfterTheRegistryIsBuilt_ThrowsAClearError()
    {
        ITesseraBuilder? tessera = null;
        await using var host = await Hosts.StartAsync(t =>
        {
            tessera = t;
            t.Methods.AddType<Greeting>();
        });

        var late = Assert.Throws<InvalidOperationException>(() => tessera!.Methods.Add("late.add", (int a, int b) => a + b));
        Assert.Throws<InvalidOperationException>(() => tessera!.Methods.AddType<OtherGreeting>());

        Assert.StartsWith("Methods cannot be added after the method registry is built (at MapTessera).", late.Message);
        Assert.Equal(1001, (await host.Toto.CallAsync("late.add", new { a = 1, b = 2 })).ErrorCode);
    }

    [Fact]
    public async Task Descriptors_AreSealedOnceBuilt()
    {
        await using var host = await Hosts.StartAsync<Greeting>();
        Assert.True(host.Services.GetRequiredService<MethodRegistry>().TryGet("greeting.hello", out var method));

        Assert.Throws<InvalidOperationException>(() => method.Seal(pipeline: null));
    }

    [Fact]
    public async Task Start_WithDuplicateName_FailsNamingBothMethods()
    {
        var message = await StartupFailure(t => t.Methods.AddType<Greeting>().AddType<OtherGreeting>());

        Assert.Contains("'greeting.hello' is defined twice", message);
        Assert.Contains("Greeting.Hello(string name)", message);
        Assert.Contains("OtherGreeting.Hi(string name)", message);
        Assert.Contains("rename one with [Method(\"...\")]", message);
    }

    [Fact]
    public async Task Start_WithReservedPrefix_FailsSayingWhatToChange()
    {
        var message = await StartupFailure(t => t.Methods.AddType<Reserved>());

        Assert.Contains("'rpc.mine'", message);
        Assert.Contains("starts with 'rpc', which is reserved", message);
        Assert.Contains("give it another name", message);
    }

    [Fact]
    public async Task Start_WithNameOfAReservedPath_Fails()
    {
        var message = await StartupFailure(t => t.Methods.AddType<ReservedPath>());

        Assert.Contains("'events.publish'", message);
        Assert.Contains("reserved", message);
    }

    [Fact]
    public async Task Start_WithReservedDelegateName_Fails()
    {
        var message = await StartupFailure(t => t.Methods.Add("system.listMethods", () => 1));

        Assert.Contains("'system.listMethods' (delegate ())", message);
    }

    [Fact]
    public async Task Start_WithInvalidName_Fails()
    {
        var message = await StartupFailure(t => t.Methods.AddType<BadName>());

        Assert.Contains("'has space'", message);
        Assert.Contains("is not a valid method name", message);
    }

    [Fact]
    public async Task Start_WithUnbindableParameter_FailsNamingMethodParameterAndFix()
    {
        var message = await StartupFailure(t => t.Methods.AddType<Unbindable>());

        Assert.Contains("'unbindable.read' (Unbindable.Read(Stream body))", message);
        Assert.Contains("parameter 'body' of type Stream cannot be read from a request", message);
        Assert.Contains("register Stream as a service", message);
    }

    [Fact]
    public async Task Start_WithUnregisteredInterfaceParameter_Fails()
    {
        var message = await StartupFailure(t => t.Methods.AddType<UnregisteredInterface>());

        Assert.Contains("parameter 'repository' of type IRepository cannot be read from a request", message);
    }

    [Fact]
    public async Task Start_WithRegisteredInterfaceParameter_InjectsIt()
    {
        await using var host = await TesseraTestHost.StartAsync(t =>
        {
            t.Methods.AddType<UnregisteredInterface>();
            t.Services.AddSingleton<IRepository>(new Repository());
        });

        Assert.Equal(1, (await host.Toto.CallAsync("unregistered_interface.count")).Result.GetInt32());
    }

    private sealed class Repository : IRepository;

    [Fact]
    public async Task Start_WithOutParameter_Fails()
    {
        var message = await StartupFailure(t => t.Methods.AddType<ByReference>());

        Assert.Contains("parameter 'value' is passed by reference", message);
    }

    [Fact]
    public async Task Start_WithNonPublicMethod_FailsSayingMakeItPublic()
    {
        var message = await StartupFailure(t => t.Methods.AddType<NotPublic>());

        Assert.Contains("NotPublic.Hidden has [Method] but is not public; make it public.", message);
    }

    [Fact]
    public async Task Start_WithGenericMethod_Fails()
    {
        var message = await StartupFailure(t => t.Methods.AddType<Generic>());

        Assert.Contains("Generic.Echo is generic", message);
    }

    [Fact]
    public async Task Start_WithTwoParametersOfOneWireName_Fails()
    {
        var message = await StartupFailure(t => t.Methods.AddType<SameWireName>());

        Assert.Contains("share the wire name 'user_id'", message);
    }

    [Fact]
    public async Task Start_WithSeveralProblems_ReportsAllAtOnce()
    {
        var message = await StartupFailure(t => t.Methods.AddType<Reserved>().AddType<BadName>().AddType<Unbindable>());

        Assert.Contains("rpc.mine", message);
        Assert.Contains("has space", message);
        Assert.Contains("unbindable.read", message);
    }

    [Theory]
    [InlineData(typeof(AbstractMethods), "AbstractMethods.Work", "make it static or the class concrete")]
    [InlineData(typeof(NoPublicConstructor), "'no_public_constructor.work'", "cannot be created (it is abstract or has no public constructor)")]
    public async Task Start_WithAClassThatCannotBeCreated_FailsSayingWhatToDo(Type type, string method, string fix)
    {
        // The class's factory is compiled by the first call; that it cannot be made at all is still known at start-up.
        var message = await StartupFailure(t => t.Methods.AddType(type));

        Assert.Contains(method, message);
        Assert.Contains(fix, message);
    }

    [Fact]
    public async Task Call_ResultTheSerializerRefuses_Answers1000EveryTime_AndTheOtherMethodsServe()
    {
        // A result type's JSON metadata is made by the method's first call: a type the serializer refuses (two
        // properties given one name) is then a 1000 for each call of that method, not a broken body or a dead process.
        await using var host = await TesseraTestHost.StartAsync(t => t.Methods.AddType<Colliding>());

        Assert.Equal(1000, (await host.Toto.CallAsync("colliding.make")).ErrorCode);
        Assert.Equal(1000, (await host.Toto.CallAsync("colliding.make")).ErrorCode);
        Assert.Equal(7, (await host.Toto.CallAsync("colliding.fine")).Result.GetInt32());
    }

    [Fact]
    public async Task Invoker_FirstCallsAtOnce_EachGetTheirOwnAnswer()
    {
        // The first call starts the invoker's compile in the background: calls racing with it go through reflection
        // until the compiled invoker lands, and all answer correctly.
        var method = typeof(Statics).GetMethod(nameof(Statics.Twice), BindingFlags.Public | BindingFlags.Static)!;
        for (var round = 0; round < 200; round++)
        {
            var invoker = MethodInvokerFactory.Create(method, handler: null);
            using var start = new Barrier(4);
            var calls = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
            {
                start.SignalAndWait();
                return await invoker(null, [round * 10 + i]);
            })).ToArray();

            var results = await Task.WhenAll(calls);

            Assert.Equal(Enumerable.Range(0, 4).Select(i => (object)(2 * (round * 10 + i))), results);
        }
    }

    [Fact]
    public async Task Call_ExplicitName_OverridesConvention()
    {
        await using var host = await TesseraTestHost.StartAsync(t => t.Methods.AddType<Renamed>());

        Assert.Equal(42, (await host.Toto.CallAsync("custom.deep.name")).Result.GetInt32());
        Assert.Equal(1001, (await host.Toto.CallAsync("renamed.answer")).ErrorCode);
    }

    [Fact]
    public async Task Call_Delegate_BindsItsLambdaParameters()
    {
        await using var host = await TesseraTestHost.StartAsync(t => t.Methods.Add("math.add", (int a, int b) => a + b));

        Assert.Equal(5, (await host.Toto.CallAsync("math.add", new { a = 2, b = 3 })).Result.GetInt32());
    }

    [Fact]
    public async Task Call_StaticMethod_NeedsNoInstance()
    {
        await using var host = await TesseraTestHost.StartAsync(t => t.Methods.AddType(typeof(Statics)));

        Assert.Equal(8, (await host.Toto.CallAsync("statics.twice", new { x = 4 })).Result.GetInt32());
    }

    [Fact]
    public async Task Call_InstanceMethod_GetsAFreshInstancePerCall()
    {
        await using var host = await TesseraTestHost.StartAsync(t => t.Methods.AddType<Counter>());

        Assert.Equal(1, (await host.Toto.CallAsync("counter.next")).Result.GetInt32());
        Assert.Equal(1, (await host.Toto.CallAsync("counter.next")).Result.GetInt32());
    }

    [Fact]
    public async Task Call_InstanceRegisteredAsSingleton_ComesFromDependencyInjection()
    {
        await using var host = await TesseraTestHost.StartAsync(t =>
        {
            t.Methods.AddType<Counter>();
            t.Services.AddSingleton<Counter>();
        });

        Assert.Equal(1, (await host.Toto.CallAsync("counter.next")).Result.GetInt32());
        Assert.Equal(2, (await host.Toto.CallAsync("counter.next")).Result.GetInt32());
    }

    [Fact]
    public async Task Call_DisposableInstance_IsDisposedAfterTheCall()
    {
        await using var host = await TesseraTestHost.StartAsync(t => t.Methods.AddType<Disposing>());
        var before = Volatile.Read(ref Disposing.Disposed);

        await host.Toto.CallAsync("disposing.work");

        Assert.Equal(before + 1, Volatile.Read(ref Disposing.Disposed));
    }

    [Fact]
    public async Task Start_SessionMethodsWithoutAccounts_FailNamingAddAccounts()
    {
        var message = await StartupFailure(t => t.Methods.AddAssembly(typeof(HelloService.Greeting).Assembly));

        Assert.Contains("'counter.increment'", message);
        Assert.Contains("call AddAccounts()", message);
    }

    [Fact]
    public async Task Start_AssemblyScan_FindsAttributedMethods()
    {
        await using var host = await Hosts.StartHelloServiceAsync();

        Assert.Equal("hello ada", (await host.Toto.CallAsync("greeting.hello", new { name = "ada" })).Result.GetString());
        Assert.Equal(3, (await host.Toto.CallAsync("math.add", new { a = 1, b = 2 })).Result.GetInt32());
    }
}
