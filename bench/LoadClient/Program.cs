using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;

// The load harness's second driver, for what wrk cannot do:
//   signed URL SESSION KEY CONNECTIONS SECONDS   counter.increment with a fresh Tessera signature per request
//                                                (KEY "-" sends unsigned requests, for the baseline); prints one TSV line
//   idle-sse URL COUNT                           opens COUNT Server-Sent Events streams, prints "open", holds them until stdin closes
//   ws URL - - CONNECTIONS SECONDS               JSON-RPC greeting.hello over CONNECTIONS WebSockets at /ws, one call in
//                                                flight per socket; prints one TSV line
return args[0] switch
{
    "signed" => await SignedAsync(args[1], args[2], args[3], int.Parse(args[4]), int.Parse(args[5])),
    "idle-sse" => await IdleSseAsync(args[1], int.Parse(args[2])),
    "ws" => await WebSocketsAsync(args[1], int.Parse(args[4]), int.Parse(args[5])),
    _ => throw new ArgumentException($"unknown command {args[0]}"),
};

static async Task<int> SignedAsync(string url, string session, string key, int connections, int seconds)
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = new Uri(url) };
    var body = "{}"u8.ToArray();
    var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
    var keyBytes = Encoding.UTF8.GetBytes(key);
    var stop = Stopwatch.StartNew();
    var latencies = new List<double>[connections];
    var failures = 0;
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
    {
        var mine = latencies[worker] = [];
        while (stop.Elapsed.TotalSeconds < seconds)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/counter/increment") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("x-toto-session-id", session);
            if (key != "-")
            {
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
                var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
                var canonical = string.Join('\n', "POST", "/counter/increment", "", "application/json", session, timestamp, nonce, bodyHash);
                request.Headers.Add("x-toto-hmac", Convert.ToBase64String(HMACSHA256.HashData(keyBytes, Encoding.UTF8.GetBytes(canonical))));
                request.Headers.Add("x-tessera-timestamp", timestamp);
                request.Headers.Add("x-tessera-nonce", nonce);
            }

            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.OK || !text.Contains("\"result\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref failures);
            }
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    Console.WriteLine($"{all.Length / stop.Elapsed.TotalSeconds:F0}\t{all[all.Length / 2]:F2}\t{all[(int)(all.Length * 0.99)]:F2}\t{failures}");
    return failures == 0 ? 0 : 1;
}

static async Task<int> WebSocketsAsync(string url, int connections, int seconds)
{
    var uri = new Uri(new Uri(url.Replace("http://", "ws://", StringComparison.Ordinal)), "/ws");
    var call = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"greeting.hello\",\"params\":{\"name\":\"ada\"},\"id\":1}");
    var sockets = await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
    {
        var socket = new System.Net.WebSockets.ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }));
    var stop = Stopwatch.StartNew();
    var latencies = new List<double>[connections];
    var failures = 0;
    await Task.WhenAll(sockets.Select(async (socket, worker) =>
    {
        var mine = latencies[worker] = [];
        var buffer = new byte[4096];
        while (stop.Elapsed.TotalSeconds < seconds)
        {
            var started = Stopwatch.GetTimestamp();
            await socket.SendAsync(call, System.Net.WebSockets.WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!received.EndOfMessage ||
                !Encoding.UTF8.GetString(buffer, 0, received.Count).Contains("\"hello ada\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref failures);
            }
        }
    }));
    foreach (var socket in sockets)
    {
        socket.Dispose();
    }

    var all = latencies.SelectMany(l => l).Order().ToArray();
    Console.WriteLine($"{all.Length / stop.Elapsed.TotalSeconds:F0}\t{all[all.Length / 2]:F2}\t{all[(int)(all.Length * 0.99)]:F2}\t{failures}");
    return failures == 0 ? 0 : 1;
}

static async Task<int> IdleSseAsync(string url, int count)
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan };
    var streams = new List<Stream>(count);
    for (var batch = 0; batch < count; batch += 250)
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, Math.Min(250, count - batch)).Select(async _ =>
        {
            var response = await http.GetAsync("/events?topics=idle", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var stream = await response.Content.ReadAsStreamAsync();
            var first = new byte[32];
            _ = await stream.ReadAsync(first);   // "retry: 2000": the stream is subscribed
            return stream;
        }));
        streams.AddRange(opened);
    }

    Console.WriteLine("open");
    await Console.In.ReadToEndAsync();
    streams.ForEach(s => s.Dispose());
    return 0;
}
