using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tessera.Observability;

/// <summary>
/// Tessera's traces and metrics, both named <c>Tessera</c>: a span per call (and per batch entry), a call counter,
/// an error counter and a duration histogram, tagged by method and transport.
/// </summary>
internal sealed class TesseraTelemetry
{
    public const string Name = "Tessera";

    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>Bucket bounds in seconds, from half a millisecond (a cached answer) to ten seconds (a store timing out).</summary>
    public static readonly InstrumentAdvice<double> DurationBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private readonly Counter<long> _calls;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _periodicRuns;
    private readonly Histogram<double> _periodicDuration;

    public TesseraTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _calls = meter.CreateCounter<long>("tessera.calls", "{call}", "Method calls answered, by method and transport.");
        _errors = meter.CreateCounter<long>("tessera.errors", "{call}", "Method calls answered with an error, by code.");
        _duration = meter.CreateHistogram<double>("tessera.call.duration", "s", "Time from binding to result of a call.", tags: null, advice: DurationBuckets);
        _periodicRuns = meter.CreateCounter<long>("tessera.periodic.runs", "{run}", "Runs of periodic jobs on this instance, by job and outcome.");
        _periodicDuration = meter.CreateHistogram<double>("tessera.periodic.duration", "s", "Time a periodic job's run took.", tags: null, advice: DurationBuckets);
    }

    /// <summary>One run of a periodic job: <paramref name="outcome"/> is ok, error or cancelled.</summary>
    public void RecordPeriodicRun(string job, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "tessera.job", job }, { "tessera.outcome", outcome } };
        _periodicRuns.Add(1, tags);
        _periodicDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Whether the duration histogram has listeners, so time is only read when someone wants it.</summary>
    public bool MeasuresDuration => _duration.Enabled;

    public void Record(string method, string transport, int? errorCode, TimeSpan? duration)
    {
        var tags = new TagList { { "tessera.method", method }, { "tessera.transport", transport } };
        _calls.Add(1, tags);
        if (duration is { } elapsed)
        {
            _duration.Record(elapsed.TotalSeconds, tags);
        }

        if (errorCode is { } code && _errors.Enabled)
        {
            tags.Add("tessera.error_code", code);
            _errors.Add(1, tags);
        }
    }
}
