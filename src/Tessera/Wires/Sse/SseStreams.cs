using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Tessera.Wires.Sse;

/// <summary>
/// The open event streams of this process: one timer asks every stream for a keep-alive each
/// <see cref="EventOptions.EventHeartbeat"/> seconds, and every stream ends when the application stops. Ten thousand
/// idle streams cost one timer, not ten thousand.
/// </summary>
internal sealed class SseStreams : IDisposable
{
    private readonly ConcurrentDictionary<SseStream, byte> _open = new();
    private readonly CancellationToken _stopping;
    private readonly ITimer _heartbeat;
    private readonly CancellationTokenRegistration _onStopping;

    public SseStreams(IOptions<EventOptions> options, IHostApplicationLifetime lifetime, TimeProvider time)
    {
        var period = TimeSpan.FromSeconds(options.Value.EventHeartbeat);
        _heartbeat = time.CreateTimer(static state => ((SseStreams)state!).BeatAll(), this, period, period);
        _stopping = lifetime.ApplicationStopping;
        _onStopping = _stopping.Register(static state => ((SseStreams)state!).EndAll(), this);
    }

    /// <summary>How many streams are open now.</summary>
    public int OpenCount => _open.Count;

    /// <summary>Opens a stream; close it with <see cref="Close"/> when the response ends.</summary>
    public SseStream Open(int capacity, Action<SseStream, object>? whenCutOff = null, object? state = null)
    {
        var stream = new SseStream(capacity, whenCutOff, state);
        _open.TryAdd(stream, 0);
        if (_stopping.IsCancellationRequested)
        {
            // Opened as the application began to stop, after the others were ended.
            stream.End();
        }

        return stream;
    }

    public void Close(SseStream stream)
    {
        stream.Close();
        _open.TryRemove(stream, out _);
    }

    public void Dispose()
    {
        _heartbeat.Dispose();
        _onStopping.Dispose();
    }

    private void BeatAll()
    {
        foreach (var (stream, _) in _open)
        {
            stream.Beat();
        }
    }

    private void EndAll()
    {
        foreach (var (stream, _) in _open)
        {
            stream.End();
        }
    }
}
