using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using HelloService.Contracts;
using Tessera.Client;

// ClientBench URL [seconds] [rounds]: math.add(40, 2) over JSON-RPC against a running HelloService, 32 concurrent
// callers, three ways in alternating order each round: a hand-written HttpClient call (pre-serialized body, answer read
// with Utf8JsonReader: the least a careful engineer would write), TesseraClient.CallAsync with TesseraParameters, and
// the generated IMath proxy. Prints one Markdown table: medians of calls/s, ratios to hand-written, bytes allocated per
// call in this process.
var url = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:8888/");
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
const int Concurrency = 32;

var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = Concurrency });
var client = new TesseraClient(http, new TesseraClientOptions { BaseAddress = url });
var math = client.For<IMath>();
var api = new Uri(url, "api");
var body = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"math.add","params":{"a":40,"b":2},"id":1}""");

async Task<int> HandWritten()
{
    using var request = new HttpRequestMessage(HttpMethod.Post, api) { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new("application/json");
    using var response = await http.SendAsync(request);
    var bytes = await response.Content.ReadAsByteArrayAsync();
    var reader = new Utf8JsonReader(bytes);
    while (reader.Read())
    {
        if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("result"u8) && reader.Read())
        {
            return reader.GetInt32();
        }
    }

    throw new InvalidOperationException("no result");
}

Task<int> ByName() => client.CallAsync<int>("math.add", client.CreateParameters().Add("a", 40).Add("b", 2));
Task<int> Proxy() => math.Add(40, 2);

var ways = new (string Name, Func<Task<int>> Call)[] { ("hand-written HttpClient", HandWritten), ("TesseraClient.CallAsync", ByName), ("IMath proxy", Proxy) };
foreach (var (_, call) in ways)
{
    for (var i = 0; i < 2000; i++)
    {
        if (await call() != 42)
        {
            throw new InvalidOperationException("wrong answer");
        }
    }
}

var results = ways.ToDictionary(w => w.Name, _ => new List<(double PerSecond, double Bytes)>());
for (var round = 0; round < rounds; round++)
{
    var order = round % 2 == 0 ? ways : [.. ways.Reverse()];
    foreach (var (name, call) in order)
    {
        results[name].Add(await MeasureAsync(call, TimeSpan.FromSeconds(seconds)));
    }
}

var baseline = Median(results[ways[0].Name].Select(r => r.PerSecond));
Console.WriteLine($"| way | calls/s (median of {rounds}) | ratio | bytes allocated per call |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var (name, _) in ways)
{
    var perSecond = Median(results[name].Select(r => r.PerSecond));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {perSecond:N0} | {perSecond / baseline:0.00}x | {Median(results[name].Select(r => r.Bytes)):N0} |"));
}

static async Task<(double PerSecond, double Bytes)> MeasureAsync(Func<Task<int>> call, TimeSpan duration)
{
    long calls = 0;
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
    {
        while (clock.Elapsed < duration)
        {
            await call();
            Interlocked.Increment(ref calls);
        }
    });
    await Task.WhenAll(workers);
    var elapsed = clock.Elapsed.TotalSeconds;
    return (calls / elapsed, (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)calls);
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}
