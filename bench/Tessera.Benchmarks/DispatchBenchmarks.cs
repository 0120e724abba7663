using System.Text;
using System.Text.Json;
using System.Xml;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Wires.JsonRpc;
using Tessera.Wires.Toto;
using Tessera.Wires.XmlRpc;

namespace Tessera.Benchmarks;

/// <summary>
/// greeting.hello through the Toto envelope, JSON-RPC and XML-RPC, single and batched, each against a handler doing
/// the same work by hand as a careful engineer would write it: JsonDocument or XmlReader in, Utf8JsonWriter or one
/// formatted string out, nothing reflective; each sets the Content-Type, as bench/Baseline's handlers do.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private const string Envelope = """{"method":"greeting.hello","parameters":{"name":"ada"}}""";
    private const string JsonRpc = """{"jsonrpc":"2.0","method":"greeting.hello","params":{"name":"ada"},"id":1}""";
    private const string XmlRpc = "<?xml version=\"1.0\"?><methodCall><methodName>greeting.hello</methodName><params><param><value><string>ada</string></value></param></params></methodCall>";
    private static readonly string Batch = "[" + string.Join(",", Enumerable.Range(0, 10).Select(i => $$"""{"jsonrpc":"2.0","method":"greeting.hello","params":{"name":"n{{i}}"},"id":{{i}}}""")) + "]";
    private static readonly string TotoBatch = "{\"batch\":{" + string.Join(",", Enumerable.Range(0, 10).Select(i =>
        $"\"k{i}\":{{\"method\":\"greeting.hello\",\"parameters\":{{\"name\":\"n{i}\"}}}}")) + "}}";

    private IServiceProvider _services = null!;
    private TotoEndpoint _toto = null!;
    private JsonRpcEndpoint _jsonRpc = null!;
    private XmlRpcEndpoint _xmlRpc = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The URL-style GET is refused for methods not marked AllowGet; the harness's greeting.hello is a delegate.
        _services = Harness.Services(settings: new Dictionary<string, string?> { ["Tessera:AllowGetForAllMethods"] = "true" });
        _toto = _services.GetRequiredService<TotoEndpoint>();
        _jsonRpc = _services.GetRequiredService<JsonRpcEndpoint>();
        _xmlRpc = _services.GetRequiredService<XmlRpcEndpoint>();

        // Every contestant must give the right answer before it is timed.
        Check(_toto.HandleAsync, "/", Envelope, "application/json", "hello ada");
        Check(_toto.HandleAsync, Harness.Get(_services, "greeting/hello", "?name=ada"), "hello ada");
        Check(_jsonRpc.HandleAsync, "/api", JsonRpc, "application/json", "hello ada");
        Check(_xmlRpc.HandleAsync, "/RPC2", XmlRpc, "text/xml", "<string>hello ada</string>");
        Check(_jsonRpc.HandleAsync, "/api", Batch, "application/json", "hello n9");
        Check(_toto.HandleAsync, "/", TotoBatch, "application/json", "hello n9");
    }

    private void Check(Func<HttpContext, Task> handle, string path, string body, string contentType, string expected) =>
        Check(handle, Harness.Post(_services, path, body, contentType), expected);

    private static void Check(Func<HttpContext, Task> handle, HttpContext http, string expected)
    {
        handle(http).GetAwaiter().GetResult();
        var answer = Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());
        if (!answer.Contains(expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{http.Request.Method} {http.Request.Path} answered {answer}");
        }
    }

    [Benchmark(Baseline = true, Description = "baseline: envelope by hand")]
    public async Task BaselineEnvelope()
    {
        var http = Harness.Post(_services, "/", Envelope);
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        await WriteHelloAsync(http, body.RootElement.GetProperty("parameters").GetProperty("name").GetString()!);
    }

    [Benchmark(Description = "baseline: URL-style GET by hand")]
    public async Task BaselineGet()
    {
        var http = Harness.Get(_services, "greeting/hello", "?name=ada");
        await WriteHelloAsync(http, http.Request.Query["name"].ToString());
    }

    /// <summary>The hand-written answer of both single-call baselines: <c>{"result": "hello NAME"}</c>.</summary>
    private static async Task WriteHelloAsync(HttpContext http, string name)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("result"u8, Harness.Hello(name));
        writer.WriteEndObject();
    }

    [Benchmark(Description = "Tessera: URL-style GET")]
    public Task TotoGet() => _toto.HandleAsync(Harness.Get(_services, "greeting/hello", "?name=ada"));

    [Benchmark(Description = "Tessera: Toto envelope")]
    public Task TotoEnvelope() => _toto.HandleAsync(Harness.Post(_services, "/", Envelope));

    [Benchmark(Description = "Tessera: JSON-RPC call")]
    public Task JsonRpcCall() => _jsonRpc.HandleAsync(Harness.Post(_services, "/api", JsonRpc));

    [Benchmark(Description = "baseline: XML-RPC by hand")]
    public async Task BaselineXmlRpc()
    {
        var http = Harness.Post(_services, "/RPC2", XmlRpc, "text/xml");
        string? method = null;
        string? name = null;
        using (var reader = XmlReader.Create(http.Request.Body, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.Name == "methodName")
                {
                    method = reader.ReadElementContentAsString();
                }
                else if (reader.Name == "string")
                {
                    name = reader.ReadElementContentAsString();
                }
            }
        }

        if (method != "greeting.hello" || name is null)
        {
            throw new InvalidOperationException("unexpected request");
        }

        var answer = "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>" + System.Security.SecurityElement.Escape(Harness.Hello(name)) +
            "</string></value></param></params></methodResponse>";
        http.Response.ContentType = "text/xml; charset=utf-8";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answer));
    }

    [Benchmark(Description = "Tessera: XML-RPC call")]
    public Task XmlRpcCall() => _xmlRpc.HandleAsync(Harness.Post(_services, "/RPC2", XmlRpc, "text/xml"));

    [Benchmark(Description = "baseline: JSON-RPC batch of 10 by hand")]
    public async Task BaselineBatch()
    {
        var http = Harness.Post(_services, "/api", Batch);
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        writer.WriteStartArray();
        foreach (var request in body.RootElement.EnumerateArray())
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WriteString("result"u8, Harness.Hello(request.GetProperty("params").GetProperty("name").GetString()!));
            writer.WriteNumber("id"u8, request.GetProperty("id").GetInt32());
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    [Benchmark(Description = "Tessera: JSON-RPC batch of 10")]
    public Task JsonRpcBatch() => _jsonRpc.HandleAsync(Harness.Post(_services, "/api", Batch));

    [Benchmark(Description = "baseline: Toto batch of 10 by hand")]
    public async Task BaselineTotoBatch()
    {
        var http = Harness.Post(_services, "/", TotoBatch);
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        var entries = body.RootElement.GetProperty("batch").EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal);
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(http.Response.Body);
        writer.WriteStartObject();
        writer.WriteStartObject("batch"u8);
        foreach (var entry in entries)
        {
            writer.WriteStartObject(entry.Name);
            writer.WriteString("result"u8, Harness.Hello(entry.Value.GetProperty("parameters").GetProperty("name").GetString()!));
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    [Benchmark(Description = "Tessera: Toto batch of 10")]
    public Task TotoBatchCall() => _toto.HandleAsync(Harness.Post(_services, "/", TotoBatch));
}
