using System.Diagnostics.Metrics;

namespace Tessera.Observability;

/// <summary>
/// Per-method figures for the explorer's live charts, fed by Tessera's own <c>Meter</c> (a <see cref="MeterListener"/>
/// on this host's call and error counters and duration histogram): for each of the last <see cref="Seconds"/> seconds,
/// calls, errors, and the p50 and p99 durations. Only created when the explorer is on; it then costs a lock and a list
/// append per call.
/// </summary>
internal sealed class MethodMetrics : IDisposable
{
    public const int Seconds = 120;

    // Enough samples per second for a stable p99; beyond it, every sample replaces one at random (reservoir sampling).
    private const int SamplesPerSecond = 2000;

    private readonly MeterListener _listener = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public MethodMetrics(IMeterFactory factory, TimeProvider time)
    {
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this host's meter: other hosts in the process (tests) have meters of their own factories.
            if (instrument.Meter.Name == TesseraTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, factory)
                && instrument.Name is "tessera.calls" or "tessera.errors" or "tessera.call.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnCount);
        _listener.SetMeasurementEventCallback<double>(OnDuration);
        _listener.Start();
    }

    /// <summary>Per method, one entry a second, oldest first: calls, errors, p50 and p99 in milliseconds.</summary>
    public IReadOnlyDictionary<string, SecondFigures[]> Snapshot()
    {
        var now = Second();
        lock (_lock)
        {
            return _series.ToDictionary(pair => pair.Key, pair => pair.Value.Figures(now), StringComparer.Ordinal);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnCount(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (Method(tags) is not { } method)
        {
            return;
        }

        lock (_lock)
        {
            var bucket = BucketOf(method);
            if (instrument.Name == "tessera.calls")
            {
                bucket.Calls += value;
            }
            else
            {
                bucket.Errors += value;
            }
        }
    }

    private void OnDuration(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (Method(tags) is not { } method)
        {
            return;
        }

        lock (_lock)
        {
            var bucket = BucketOf(method);
            bucket.Seen++;
            if (bucket.Samples.Count < SamplesPerSecond)
            {
                bucket.Samples.Add(seconds * 1000);
            }
            else if (Random.Shared.NextInt64(bucket.Seen) is var slot && slot < SamplesPerSecond)
            {
                bucket.Samples[(int)slot] = seconds * 1000;
            }
        }
    }

    private Bucket BucketOf(string method)
    {
        if (!_series.TryGetValue(method, out var series))
        {
            _series[method] = series = new Series();
        }

        return series.At(Second());
    }

    private long Second() => _time.GetUtcNow().ToUnixTimeSeconds();

    private static string? Method(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "tessera.method")
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    /// <summary>A ring of one bucket per second.</summary>
    private sealed class Series
    {
        private readonly Bucket[] _ring = [.. Enumerable.Range(0, Seconds).Select(_ => new Bucket())];

        public Bucket At(long second)
        {
            var bucket = _ring[second % Seconds];
            if (bucket.Second != second)
            {
                bucket.StartOver(second);
            }

            return bucket;
        }

        public SecondFigures[] Figures(long now)
        {
            var figures = new SecondFigures[Seconds];
            for (var i = 0; i < Seconds; i++)
            {
                var second = now - Seconds + 1 + i;
                var bucket = _ring[second % Seconds];
                figures[i] = bucket.Second == second ? bucket.Figures() : new SecondFigures(second, 0, 0, null, null);
                figures[i] = figures[i] with { Second = second };
            }

            return figures;
        }
    }

    private sealed class Bucket
    {
        public long Second = -1;
        public long Calls;
        public long Errors;
        public long Seen;
        public List<double> Samples { get; } = [];

        public void StartOver(long second)
        {
            Second = second;
            Calls = Errors = Seen = 0;
            Samples.Clear();
        }

        public SecondFigures Figures()
        {
            if (Samples.Count == 0)
            {
                return new SecondFigures(Second, Calls, Errors, null, null);
            }

            var sorted = Samples.Order().ToArray();
            return new SecondFigures(Second, Calls, Errors, Percentile(sorted, 0.50), Percentile(sorted, 0.99));
        }

        private static double Percentile(double[] sorted, double p) =>
            Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 3);
    }
}

/// <summary>One second of one method: calls, errors, and p50 and p99 durations in milliseconds (null without calls).</summary>
internal sealed record SecondFigures(long Second, long Calls, long Errors, double? P50, double? P99);
