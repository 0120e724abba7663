using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Wires.JsonRpc;
using Tessera.Wires.Toto;

namespace Tessera.Benchmarks;

/// <summary>greeting.hello through the Toto envelope and JSON-RPC, against a handler doing the same work by hand.</summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private const string Envelope = """{"method":"greeting.hello","parameters":{"name":"ada"}}""";
    private const string JsonRpc = """{"jsonrpc":"2.0","method":"greeting.hello","params":{"name":"ada"},"id":1}""";
    private static readonly string Batch = "[" + string.Join(",", Enumerable.Range(0, 10).Select(i => $$"""{"jsonrpc":"2.0","method":"greeting.hello","params":{"name":"n{{i}}"},"id":{{i}}}""")) + "]";

    private IServiceProvider _services = null!;
    private TotoEndpoint _toto = null!;
    private JsonRpcEndpoint _jsonRpc = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = Harness.Services();
        _toto = _services.GetRequiredService<TotoEndpoint>();
        _jsonRpc = _services.GetRequiredService<JsonRpcEndpoint>();
    }

    [Benchmark(Baseline = true, Description = "baseline: envelope by hand")]
    public async Task BaselineEnvelope()
    {
        var http = Harness.Post(_services, "/", Envelope);
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        var name = body.RootElement.GetProperty("parameters").GetProperty("name").GetString()!;
        await JsonSerializer.SerializeAsync(http.Response.Body, new { result = Harness.Hello(name) });
    }

    [Benchmark(Description = "Tessera: Toto envelope")]
    public Task TotoEnvelope() => _toto.HandleAsync(Harness.Post(_services, "/", Envelope));

    [Benchmark(Description = "Tessera: JSON-RPC call")]
    public Task JsonRpcCall() => _jsonRpc.HandleAsync(Harness.Post(_services, "/api", JsonRpc));

    [Benchmark(Description = "baseline: JSON-RPC batch of 10 by hand")]
    public async Task BaselineBatch()
    {
        var http = Harness.Post(_services, "/api", Batch);
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        var answers = body.RootElement.EnumerateArray()
            .Select(r => new { jsonrpc = "2.0", result = Harness.Hello(r.GetProperty("params").GetProperty("name").GetString()!), id = r.GetProperty("id").GetInt32() })
            .ToList();
        await JsonSerializer.SerializeAsync(http.Response.Body, answers);
    }

    [Benchmark(Description = "Tessera: JSON-RPC batch of 10")]
    public Task JsonRpcBatch() => _jsonRpc.HandleAsync(Harness.Post(_services, "/api", Batch));
}
