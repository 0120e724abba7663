using Tessera.Auth;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Dispatch;
using Tessera.Dispatch.Binding;

namespace Tessera.Benchmarks;

/// <summary>Binding a call with ten parameters of mixed types, against reading them by hand.</summary>
[MemoryDiagnoser]
public class BindingBenchmarks
{
    private JsonDocument _parameters = null!;
    private MethodDescriptor _method = null!;
    private MethodContext _context = null!;

    public enum Mood
    {
        Calm,
        Busy,
    }

    [GlobalSetup]
    public void Setup()
    {
        var services = Harness.Services(t => t.Methods.Add("mixed.ten", (int a, long b, double c, bool d, string e, Guid f, DateTime g, Mood h, int[] i, string? j) => a));
        services.GetRequiredService<MethodRegistry>().TryGet("mixed.ten", out _method);
        _parameters = JsonDocument.Parse("""
            {"a":1,"b":9000000000,"c":2.5,"d":true,"e":"text","f":"6f1d2c3a-0000-4000-8000-000000000001",
             "g":"2026-11-21T10:00:00Z","h":"busy","i":[1,2,3],"j":null}
            """);
        _context = new MethodContext("mixed.ten", new Caller(new DefaultHttpContext(), Transports.Toto), services, Guid.Empty, default);
    }

    [GlobalCleanup]
    public void Cleanup() => _parameters.Dispose();

    [Benchmark(Baseline = true, Description = "baseline: ten TryGetProperty reads")]
    public object?[] ByHand()
    {
        var p = _parameters.RootElement;
        return
        [
            p.GetProperty("a").GetInt32(), p.GetProperty("b").GetInt64(), p.GetProperty("c").GetDouble(), p.GetProperty("d").GetBoolean(),
            p.GetProperty("e").GetString(), p.GetProperty("f").GetGuid(), p.GetProperty("g").GetDateTime(),
            Enum.Parse<Mood>(p.GetProperty("h").GetString()!, ignoreCase: true), p.GetProperty("i").Deserialize<int[]>(),
            p.GetProperty("j").ValueKind == JsonValueKind.Null ? null : p.GetProperty("j").GetString(),
        ];
    }

    [Benchmark(Description = "Tessera: ArgumentBinder")]
    public object?[] Tessera()
    {
        ArgumentBinder.Bind(_method, new CallParameters(_parameters.RootElement), _context, out var arguments);
        return arguments;
    }
}
