using System.Collections.Concurrent;

namespace Soak;

/// <summary>Operations and errors per kind of work, read per interval and in total; keeps the first few error texts.</summary>
internal sealed class Tally
{
    private readonly ConcurrentDictionary<string, Counts> _kinds = new();
    private readonly ConcurrentQueue<string> _firstErrors = new();

    public void Ok(string kind) => Interlocked.Increment(ref Of(kind).Ops);

    public void Error(string kind, string message)
    {
        var counts = Of(kind);
        Interlocked.Increment(ref counts.Ops);
        Interlocked.Increment(ref counts.Errors);
        if (_firstErrors.Count < 20)
        {
            _firstErrors.Enqueue($"{DateTime.UtcNow:HH:mm:ss} {kind}: {message}");
        }
    }

    /// <summary>Runs <paramref name="operation"/>, counting it under <paramref name="kind"/>: any exception is an error.</summary>
    public async Task RunAsync(string kind, Func<Task> operation, CancellationToken stopping)
    {
        try
        {
            await operation();
            Ok(kind);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // The run ended while this operation was in flight (cancelling aborts a WebSocket, so the exception is not
            // always a cancellation): neither a success nor an error.
        }
        catch (Exception e)
        {
            Error(kind, e.GetType().Name + ": " + e.Message);
        }
    }

    public IReadOnlyCollection<string> FirstErrors => _firstErrors;

    public (long Ops, long Errors) Total => (_kinds.Values.Sum(c => Interlocked.Read(ref c.Ops)), _kinds.Values.Sum(c => Interlocked.Read(ref c.Errors)));

    public IEnumerable<(string Kind, long Ops, long Errors)> ByKind =>
        _kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, Interlocked.Read(ref k.Value.Ops), Interlocked.Read(ref k.Value.Errors)));

    private Counts Of(string kind) => _kinds.GetOrAdd(kind, _ => new Counts());

    private sealed class Counts
    {
        public long Ops;
        public long Errors;
    }
}
