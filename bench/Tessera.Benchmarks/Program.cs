using BenchmarkDotNet.Running;
using Tessera.Benchmarks;

// dotnet run -c Release --project bench/Tessera.Benchmarks -- --filter '*'   (add --job short for a quick look)
// dotnet run -c Release --project bench/Tessera.Benchmarks -- --allocations AuthenticatedBenchmarks [calls]
//   bytes per call by type, for each benchmark of one class (AllocationProfile.cs)
if (args is ["--allocations", var className, ..])
{
    await AllocationProfile.RunAsync(className, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
