using System.Net.Sockets;
using System.Text;

namespace Soak;

/// <summary>
/// Raw TCP connections held against the server: idle ones (half never send a byte, half make one keep-alive request and
/// go quiet) and slowloris ones, which trickle header lines and never finish a request, reconnecting when closed.
/// </summary>
internal sealed class HeldConnections : IAsyncDisposable
{
    private readonly List<Socket> _idle = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _slowloris = [];
    private int _closedByServer;

    public int SlowlorisClosedByServer => Volatile.Read(ref _closedByServer);

    public static async Task<HeldConnections> OpenAsync(Uri url, int idle, int slowloris)
    {
        var held = new HeldConnections();
        var request = Encoding.ASCII.GetBytes($"GET /greeting/hello?name=idle HTTP/1.1\r\nHost: {url.Authority}\r\n\r\n");
        for (var opened = 0; opened < idle; opened += 100)
        {
            held._idle.AddRange(await Task.WhenAll(Enumerable.Range(opened, Math.Min(100, idle - opened)).Select(async i =>
            {
                var socket = await ConnectAsync(url);
                if (i % 2 == 1)
                {
                    await socket.SendAsync(request);
                    var buffer = new byte[1024];
                    _ = await socket.ReceiveAsync(buffer);
                }

                return socket;
            })));
        }

        for (var i = 0; i < slowloris; i++)
        {
            held._slowloris.Add(held.TrickleAsync(url));
        }

        return held;
    }

    /// <summary>Idle connections the server has not closed (a closed one reads as readable with nothing to read).</summary>
    public int CountOpenIdle() => _idle.Count(s => !(s.Poll(0, SelectMode.SelectRead) && s.Available == 0));

    private async Task TrickleAsync(Uri url)
    {
        await Task.Delay(Random.Shared.Next(2000));
        while (!_stop.IsCancellationRequested)
        {
            using var socket = await ConnectAsync(url);
            try
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /greeting/hello?name=slow HTTP/1.1\r\nHost: {url.Authority}\r\n"));
                for (var line = 0; !_stop.IsCancellationRequested; line++)
                {
                    await Task.Delay(2000, _stop.Token);
                    if (socket.Poll(0, SelectMode.SelectRead))
                    {
                        Interlocked.Increment(ref _closedByServer);
                        break;
                    }

                    await socket.SendAsync(Encoding.ASCII.GetBytes($"X-Slow-{line}: a\r\n"));
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref _closedByServer);
            }
        }
    }

    private static async Task<Socket> ConnectAsync(Uri url)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(url.Host, url.Port);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_slowloris);
        _idle.ForEach(s => s.Dispose());
        _stop.Dispose();
    }
}
