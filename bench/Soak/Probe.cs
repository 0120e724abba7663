using System.Diagnostics;

namespace Soak;

/// <summary>
/// The client that measures: <c>greeting.hello</c> by URL GET on its own keep-alive connection, one call every 10 ms,
/// latencies kept per phase.
/// </summary>
internal sealed class Probe(Uri url) : IAsyncDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource _stop = new();
    private readonly List<double> _latencies = [];
    private Task? _running;
    private int _failures;

    public void Start() => _running = RunAsync();

    /// <summary>Answers the latencies since the last call (sorted, ms) and the failures among them, and starts a new phase.</summary>
    public (double[] Sorted, int Failures) TakePhase()
    {
        lock (_latencies)
        {
            var sorted = _latencies.Order().ToArray();
            _latencies.Clear();
            return (sorted, Interlocked.Exchange(ref _failures, 0));
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var text = await _http.GetStringAsync("/greeting/hello?name=probe", _stop.Token);
                if (!text.Contains("hello probe", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _failures);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _failures);
            }

            lock (_latencies)
            {
                _latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running;
        }

        _http.Dispose();
        _stop.Dispose();
    }
}
