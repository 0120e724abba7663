using System.Diagnostics.Tracing;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Tessera.Benchmarks;

/// <summary>
/// Which types a benchmark's calls allocate, where BenchmarkDotNet's memory diagnoser gives only the total. Runs every
/// <c>[Benchmark]</c> method of one class many times under the runtime's allocation sampling (an event every ~100 KB
/// allocated, naming the type that crossed the mark) and prints each method's bytes per call by type. A sample, not a
/// count: types under a few bytes per call are noise, and the totals agree with the diagnoser's to a few percent.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Tessera.Benchmarks -- --allocations AuthenticatedBenchmarks [calls]</c>
/// </remarks>
internal static class AllocationProfile
{
    public static async Task RunAsync(string className, int calls)
    {
        var type = typeof(AllocationProfile).Assembly.GetTypes().SingleOrDefault(t => t.Name == className)
            ?? throw new ArgumentException($"no benchmark class named {className}");
        var instance = Activator.CreateInstance(type)!;
        foreach (var setup in type.GetMethods().Where(m => m.IsDefined(typeof(GlobalSetupAttribute))))
        {
            setup.Invoke(instance, null);
        }

        foreach (var method in type.GetMethods().Where(m => m.IsDefined(typeof(BenchmarkAttribute))))
        {
            var call = Caller(instance, method);
            for (var i = 0; i < 10_000; i++)
            {
                await call();
            }

            using var listener = new AllocationListener();
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < calls; i++)
            {
                await call();
            }

            var total = GC.GetAllocatedBytesForCurrentThread() - before;
            var name = method.GetCustomAttribute<BenchmarkAttribute>()!.Description ?? method.Name;
            Console.WriteLine($"{name}: {(double)total / calls:F0} B per call on this thread");
            foreach (var (typeName, bytes) in listener.BytesByType().OrderByDescending(p => p.Value).Take(25))
            {
                Console.WriteLine($"  {(double)bytes / calls,8:F1} B  {typeName}");
            }

            Console.WriteLine();
        }
    }

    private static Func<Task> Caller(object instance, MethodInfo method) => () => method.Invoke(instance, null) switch
    {
        Task task => task,
        ValueTask valueTask => valueTask.AsTask(),
        _ => Task.CompletedTask,
    };

    private sealed class AllocationListener : EventListener
    {
        private const int AllocationTickEvent = 10;
        private readonly Dictionary<string, long> _bytes = [];
        private readonly Lock _gate = new();

        public Dictionary<string, long> BytesByType()
        {
            lock (_gate)
            {
                return new Dictionary<string, long>(_bytes);
            }
        }

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // the GC keyword
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventId != AllocationTickEvent || e.Payload is null || e.PayloadNames is null)
            {
                return;
            }

            var typeName = e.Payload[e.PayloadNames.IndexOf("TypeName")] as string ?? "?";
            var bytes = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")]);
            lock (_gate)
            {
                _bytes[typeName] = _bytes.GetValueOrDefault(typeName) + bytes;
            }
        }
    }
}
