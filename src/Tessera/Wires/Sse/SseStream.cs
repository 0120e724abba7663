using System.Diagnostics.CodeAnalysis;
using System.Threading.Tasks.Sources;

namespace Tessera.Wires.Sse;

/// <summary>
/// One open event stream's queue: events from the bus, and heartbeats from the shared timer (<see cref="SseStreams"/>).
/// Ending the stream completes the queue, which is all that wakes its writer: no cancellation source, timer or waiter
/// of its own per stream (those were a third of an idle stream's memory).
/// </summary>
/// <remarks>
/// <para>
/// The queue is written here rather than taken from System.Threading.Channels: a bounded channel allocates its reader,
/// writer, item deque and four reusable wait operations up front, about 630 bytes that every idle stream held (5% of an
/// idle stream's memory, measured with dotnet-gcdump over 5,000 streams). This one allocates its items with the first
/// event and waits with one <see cref="ManualResetValueTaskSourceCore{TResult}"/> inside the stream.
/// </para>
/// <para>
/// One reader (the endpoint's loop), any number of writers (the bus, the heartbeat timer, the client leaving, the
/// application stopping), all under the stream's own monitor: the type is internal and never handed to user code.
/// </para>
/// </remarks>
internal sealed class SseStream : IValueTaskSource<bool>
{
    /// <summary>Stands for "write a keep-alive" in the queue; never sent as an event.</summary>
    private static readonly EventMessage Heartbeat = new(0, string.Empty, default, default);

    private const int Open = 0;
    private const int Ended = 1;
    private const int CutOffState = 2;

    private readonly int _slots;
    private readonly Action<SseStream, object>? _whenCutOff;
    private readonly object? _cutOffState;
    private Queue<EventMessage>? _items;
    private ManualResetValueTaskSourceCore<bool> _reader = new() { RunContinuationsAsynchronously = true };
    private bool _readerWaits;
    private int _state; // Open, Ended or CutOffState; written under the monitor
    private int _heartbeatQueued;
    private volatile bool _closed;

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
        _slots = capacity + 1;
        _whenCutOff = whenCutOff;
        _cutOffState = state;
    }

    /// <summary>Whether the response has ended (after which its connection must not be touched).</summary>
    public bool Closed => _closed;

    /// <summary>Whether the client fell too far behind and the stream stopped for that reason.</summary>
    public bool CutOff => Volatile.Read(ref _state) == CutOffState;

    /// <summary>Queues an event for the client; a full queue cuts the client off (it resumes with Last-Event-ID).</summary>
    public void Offer(EventMessage message)
    {
        if (!TryWrite(message))
        {
            Stop(CutOffState);
        }
    }

    /// <summary>Asks for a keep-alive; at most one waits in the queue, however long the client takes to read.</summary>
    public void Beat()
    {
        if (Interlocked.Exchange(ref _heartbeatQueued, 1) == 0 && !TryWrite(Heartbeat))
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

    /// <summary>
    /// Waits until something can be read (true), or the stream has ended with nothing left to read (false). One reader
    /// only, and one wait at a time.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (this)
        {
            if (_items is { Count: > 0 })
            {
                return new ValueTask<bool>(true);
            }

            if (_state != Open)
            {
                return new ValueTask<bool>(false);
            }

            _reader.Reset();
            _readerWaits = true;
            return new ValueTask<bool>(this, _reader.Version);
        }
    }

    /// <summary>Takes the next queued message, if any; what was queued before the stream ended is still read.</summary>
    public bool TryRead([MaybeNullWhen(false)] out EventMessage message)
    {
        lock (this)
        {
            if (_items is { } items)
            {
                return items.TryDequeue(out message);
            }
        }

        message = null;
        return false;
    }

    /// <summary>Ends the stream: the client left or the server is stopping. What is queued may still be read.</summary>
    public void End() => Stop(Ended);

    /// <summary>The response has ended.</summary>
    public void Close()
    {
        _closed = true;
        End();
    }

    private bool TryWrite(EventMessage message)
    {
        lock (this)
        {
            if (_state != Open)
            {
                return false;
            }

            var items = _items ??= new Queue<EventMessage>();
            if (items.Count >= _slots)
            {
                return false;
            }

            items.Enqueue(message);
            if (!_readerWaits)
            {
                return true;
            }

            _readerWaits = false;
        }

        // Outside the monitor; the reader runs on the thread pool, never on the writer's thread (the bus's loop).
        _reader.SetResult(true);
        return true;
    }

    private void Stop(int reason)
    {
        bool wake;
        lock (this)
        {
            if (_state != Open)
            {
                return;
            }

            _state = reason;
            (wake, _readerWaits) = (_readerWaits, false);
        }

        // A waiting reader found the queue empty, and nothing was queued since (that would have woken it): it is done.
        if (wake)
        {
            _reader.SetResult(false);
        }

        if (reason == CutOffState)
        {
            _whenCutOff?.Invoke(this, _cutOffState!);
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _reader.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _reader.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _reader.OnCompleted(continuation, state, token, flags);
}
