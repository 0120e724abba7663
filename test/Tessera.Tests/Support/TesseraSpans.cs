using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tessera.Tests.Support;

/// <summary>Records every span Tessera's <c>ActivitySource</c> stops while it is alive (a listener samples them all).</summary>
public sealed class TesseraSpans : IDisposable
{
    private readonly ActivityListener _listener;

    public TesseraSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Tessera",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<Activity> Stopped { get; } = new();

    public void Dispose() => _listener.Dispose();
}
