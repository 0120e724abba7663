using System.Threading.Channels;

namespace Tessera.Wires.Sse;

/// <summary>
/// One open event stream's queue: events from the bus, and heartbeats from the shared timer (<see cref="SseStreams"/>).
/// Ending the stream completes the queue, which is all that wakes its writer: no cancellation source, timer or waiter
/// of its own per stream (those were a third of an idle stream's memory).
/// </summary>
internal sealed class SseStream
{
    /// <summary>Stands for "write a keep-alive" in the queue; never sent as an event.</summary>
    private static readonly EventMessage Heartbeat = new(0, string.Empty, default, default);

    private readonly Channel<EventMessage> _queue;
    private int _state; // Open, Ended or CutOff
    private int _heartbeatQueued;
    private volatile bool _closed;

    private const int Open = 0;
    private const int Ended = 1;
    private const int CutOffState = 2;

    private readonly Action<SseStream, object>? _whenCutOff;
    private readonly object? _cutOffState;

    /// <param name="capacity">How many events may wait before the client counts as too slow and is cut off.</param>
    /// <param name="whenCutOff">
    /// Called once, on the publishing thread, with <paramref name="state"/> when the client is cut off; it must not
    /// block. A static callback and its state rather than a closure: a closure and its delegate were 96 bytes more per
    /// stream.
    /// </param>
    /// <param name="state">What <paramref name="whenCutOff"/> is given.</param>
    public SseStream(int capacity, Action<SseStream, object>? whenCutOff = null, object? state = null)
    {
        // One more slot than events may use, so a queued heartbeat never makes a client look slow.
        _queue = Channel.CreateBounded<EventMessage>(new BoundedChannelOptions(capacity + 1) { SingleReader = true });
        _whenCutOff = whenCutOff;
        _cutOffState = state;
    }

    public ChannelReader<EventMessage> Reader => _queue.Reader;

    /// <summary>Whether the response has ended (after which its connection must not be touched).</summary>
    public bool Closed => _closed;

    /// <summary>Whether the client fell too far behind and the stream stopped for that reason.</summary>
    public bool CutOff => Volatile.Read(ref _state) == CutOffState;

    /// <summary>Queues an event for the client; a full queue cuts the client off (it resumes with Last-Event-ID).</summary>
    public void Offer(EventMessage message)
    {
        if (!_queue.Writer.TryWrite(message))
        {
            Stop(CutOffState);
        }
    }

    /// <summary>Asks for a keep-alive; at most one waits in the queue, however long the client takes to read.</summary>
    public void Beat()
    {
        if (Interlocked.Exchange(ref _heartbeatQueued, 1) == 0 && !_queue.Writer.TryWrite(Heartbeat))
        {
            Volatile.Write(ref _heartbeatQueued, 0);
        }
    }

    /// <summary>Whether <paramref name="message"/> is a heartbeat (taking it lets the next one be queued).</summary>
    public bool IsHeartbeat(EventMessage message)
    {
        if (!ReferenceEquals(message, Heartbeat))
        {
            return false;
        }

        Volatile.Write(ref _heartbeatQueued, 0);
        return true;
    }

    /// <summary>Ends the stream: the client left or the server is stopping. What is queued may still be read.</summary>
    public void End() => Stop(Ended);

    /// <summary>The response has ended.</summary>
    public void Close()
    {
        _closed = true;
        End();
    }

    private void Stop(int reason)
    {
        if (Interlocked.CompareExchange(ref _state, reason, Open) == Open)
        {
            _queue.Writer.TryComplete();
            if (reason == CutOffState)
            {
                _whenCutOff?.Invoke(this, _cutOffState!);
            }
        }
    }
}
