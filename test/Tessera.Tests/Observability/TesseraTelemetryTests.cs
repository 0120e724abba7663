using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tessera.Tests.Observability;

public sealed class TesseraTelemetryTests
{
    [Fact]
    public async Task Calls_AreCountedAndTimedByMethodAndTransport()
    {
        await using var host = await Hosts.StartAsync(t => t.Methods.Add("tel.add", (int a, int b) => a + b));
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Tessera" && instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.Start();

        await host.Toto.CallAsync("tel.add", new { a = 1, b = 2 });
        await host.Toto.CallAsync("tel.add", new { a = 1 });

        var calls = measurements.Where(m => m.Instrument == "tessera.calls").ToArray();
        Assert.Equal(2, calls.Length);
        Assert.All(calls, c => Assert.Equal("tel.add", c.Tags["tessera.method"]));
        Assert.All(calls, c => Assert.Equal("toto", c.Tags["tessera.transport"]));
        var error = Assert.Single(measurements, m => m.Instrument == "tessera.errors");
        Assert.Equal(1003, error.Tags["tessera.error_code"]);
        Assert.Equal(2, measurements.Count(m => m.Instrument == "tessera.call.duration" && m.Value >= 0));
    }

    [Fact]
    public async Task Calls_EachGetASpanWithMethodTransportAndTransactionId()
    {
        using var spans = new TesseraSpans();
        await using var host = await Hosts.StartAsync(t => t.Methods.Add("tel.span_probe", (int a) => a));

        await host.Toto.BatchAsync([("x", "tel.span_probe", new { a = 1 }), ("y", "tel.span_probe", new { a = "bad" })]);

        var ours = spans.Stopped.Where(s => s.DisplayName == "tel.span_probe").ToArray();
        Assert.Equal(2, ours.Length);
        Assert.All(ours, s => Assert.Equal("toto", s.GetTagItem("tessera.transport")));
        Assert.NotEqual(ours[0].GetTagItem("tessera.transaction_id"), ours[1].GetTagItem("tessera.transaction_id"));
        Assert.Single(ours, s => s.Status == ActivityStatusCode.Error);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }

        return result;
    }
}
