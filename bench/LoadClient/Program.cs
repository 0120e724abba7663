using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;

// The load harness's second driver, for what wrk cannot do:
//   signed URL SESSION KEY CONNECTIONS SECONDS   counter.increment with a fresh Tessera signature per request
//                                                (KEY "-" sends unsigned requests, for the baseline); prints one TSV line:
//                                                calls/s, p50 ms, p99 ms, failures, calls
//   idle-sse URL COUNT                           opens COUNT Server-Sent Events streams, prints "open", holds them until stdin closes
//   fanout URL SESSION COUNT ROUNDS              COUNT SSE subscribers of "announcements"; ROUNDS times, announcement.post
//                                                (as SESSION) and time until each subscriber has the event; prints
//                                                "p50<TAB>p99<TAB>max" in ms, the medians over rounds
//   ws URL - - CONNECTIONS SECONDS               JSON-RPC greeting.hello over CONNECTIONS WebSockets at /ws, one call in
//                                                flight per socket; prints one TSV line
return args[0] switch
{
    "signed" => await SignedAsync(args[1], args[2], args[3], int.Parse(args[4]), int.Parse(args[5])),
    "idle-sse" => await IdleSseAsync(args[1], int.Parse(args[2])),
    "ws" => await WebSocketsAsync(args[1], int.Parse(args[4]), int.Parse(args[5])),
    "fanout" => await FanOutAsync(args[1], args[2], int.Parse(args[3]), int.Parse(args[4])),
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
    Console.WriteLine($"{all.Length / stop.Elapsed.TotalSeconds:F0}\t{all[all.Length / 2]:F2}\t{all[(int)(all.Length * 0.99)]:F2}\t{failures}\t{all.Length}");
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
    Console.WriteLine($"{all.Length / stop.Elapsed.TotalSeconds:F0}\t{all[all.Length / 2]:F2}\t{all[(int)(all.Length * 0.99)]:F2}\t{failures}\t{all.Length}");
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

static async Task<int> FanOutAsync(string url, string session, int count, int rounds)
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, MaxResponseDrainSize = 0 })
    {
        BaseAddress = new Uri(url),
        Timeout = Timeout.InfiniteTimeSpan,
    };
    var readers = new List<StreamReader>(count);
    for (var batch = 0; batch < count; batch += 250)
    {
        readers.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(250, count - batch)).Select(async _ =>
        {
            var response = await http.GetAsync("/events?topics=announcements", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            // "retry: 2000" comes once the stream is subscribed.
            return await reader.ReadLineAsync() is { } first && first.StartsWith("retry:", StringComparison.Ordinal)
                ? reader
                : throw new InvalidOperationException("an event stream did not open");
        })));
    }

    // received[round][subscriber]: milliseconds from the publish to that subscriber reading the event's data line.
    var published = new long[rounds];
    var received = Enumerable.Range(0, rounds).Select(_ => new double[count]).ToArray();
    var reading = readers.Select(async (reader, subscriber) =>
    {
        for (var round = 0; round < rounds;)
        {
            var line = await reader.ReadLineAsync() ?? throw new InvalidOperationException("a stream ended");
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                received[round][subscriber] = Stopwatch.GetElapsedTime(Volatile.Read(ref published[round])).TotalMilliseconds;
                round++;
            }
        }
    }).ToArray();

    var p50 = new List<double>();
    var p99 = new List<double>();
    var max = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        await Task.Delay(1000);   // each event is delivered everywhere before the next, so rounds do not overlap
        Volatile.Write(ref published[round], Stopwatch.GetTimestamp());
        using var post = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{\"method\":\"announcement.post\",\"parameters\":{\"text\":\"round " + round + "\"}}", Encoding.UTF8, "application/json") };
        post.Headers.Add("x-toto-session-id", session);
        using var answer = await http.SendAsync(post);
        if (!(await answer.Content.ReadAsStringAsync()).Contains("\"result\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("announcement.post failed");
        }
    }

    await Task.WhenAll(reading).WaitAsync(TimeSpan.FromSeconds(120));
    foreach (var times in received)
    {
        Array.Sort(times);
        p50.Add(times[count / 2]);
        p99.Add(times[(int)(count * 0.99)]);
        max.Add(times[^1]);
    }

    readers.ForEach(r => r.Dispose());
    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    Console.WriteLine($"{Median(p50):F1}\t{Median(p99):F1}\t{Median(max):F1}");
    return 0;
}
