using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Soak;

/// <summary>
/// Runs the mixed workload for a number of minutes, sampling the server process every interval, and writes the report:
/// calls and errors per interval, resident memory, descriptors and threads, and the growth of memory after warm-up.
/// </summary>
internal static class SoakRun
{
    public static async Task<int> RunAsync(Uri url, int pid, double minutes, string output, string command)
    {
        var service = new Service(url);
        var tally = new Tally();
        var workload = new MixedWorkload(service, tally);
        await workload.PrepareAsync(CancellationToken.None);

        var duration = TimeSpan.FromMinutes(minutes);
        var interval = TimeSpan.FromSeconds(minutes >= 10 ? 60 : 10);
        // Memory settles once the heaps, pools and caches have grown to the load: growth is measured after this.
        var warmUp = TimeSpan.FromMinutes(Math.Min(5, minutes / 4));
        using var stopping = new CancellationTokenSource(duration);
        var running = workload.RunAsync(stopping.Token);

        var rows = new List<(TimeSpan At, long Ops, long Errors, ProcessSample Sample)>();
        var clock = Stopwatch.StartNew();
        var (lastOps, lastErrors) = (0L, 0L);
        using var timer = new PeriodicTimer(interval);
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync())
        {
            var (ops, errors) = tally.Total;
            var sample = ProcessSample.Read(pid);
            rows.Add((clock.Elapsed, ops - lastOps, errors - lastErrors, sample));
            Console.Error.WriteLine($"{clock.Elapsed:hh\\:mm\\:ss} {(ops - lastOps) / interval.TotalSeconds:F0} ops/s, {errors - lastErrors} errors, RSS {sample.RssKiB / 1024} MiB, {sample.Descriptors} fds, {sample.Threads} threads");
            (lastOps, lastErrors) = (ops, errors);
        }

        await running;
        var report = Report(rows, tally, warmUp, interval, minutes, command);
        await File.WriteAllTextAsync(output, report);
        Console.WriteLine(report);
        return tally.Total.Errors == 0 ? 0 : 1;
    }

    private static string Report(List<(TimeSpan At, long Ops, long Errors, ProcessSample Sample)> rows, Tally tally, TimeSpan warmUp,
        TimeSpan interval, double minutes, string command)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        var (ops, errors) = tally.Total;
        var settled = rows.Where(r => r.At >= warmUp).ToList();
        var atWarmUp = settled.Count > 0 ? settled[0].Sample.RssKiB : rows[^1].Sample.RssKiB;
        var peak = settled.Count > 0 ? settled.Max(r => r.Sample.RssKiB) : atWarmUp;
        var end = rows[^1].Sample.RssKiB;

        text.AppendLine(invariant, $"# Soak report ({DateTime.UtcNow:yyyy-MM-dd})").AppendLine();
        text.AppendLine(invariant, $"Machine: {Machine.Describe()}. Command: `{command}`.").AppendLine();
        text.AppendLine(invariant, $"HelloService in Release (Production, warnings-only logging, SQLite file database) under every wire at once for {minutes:0.#} minutes; every answer is checked (see bench/Soak/MixedWorkload.cs).").AppendLine();
        text.AppendLine(invariant, $"- **Errors: {errors:N0} of {ops:N0} operations** ({ops / (minutes * 60):N0} per second on average).");
        text.AppendLine(invariant, $"- **Resident memory after warm-up ({warmUp.TotalMinutes:0.#} min): {atWarmUp / 1024.0:F0} MiB; peak after it {peak / 1024.0:F0} MiB ({(peak - atWarmUp) * 100.0 / atWarmUp:+0.0;-0.0}%); at the end {end / 1024.0:F0} MiB ({(end - atWarmUp) * 100.0 / atWarmUp:+0.0;-0.0}%).** Goal: 0 errors, growth under 10%.");
        text.AppendLine(invariant, $"- Descriptors {rows[0].Sample.Descriptors} at the first sample, {rows[^1].Sample.Descriptors} at the last; threads {rows[0].Sample.Threads} and {rows[^1].Sample.Threads}.").AppendLine();

        text.AppendLine("| kind | operations | errors |").AppendLine("|---|---:|---:|");
        foreach (var (kind, kindOps, kindErrors) in tally.ByKind)
        {
            text.AppendLine(invariant, $"| {kind} | {kindOps:N0} | {kindErrors:N0} |");
        }

        text.AppendLine().AppendLine(invariant, $"Every {interval.TotalSeconds:0} s:").AppendLine();
        text.AppendLine("| time | operations/s | errors | RSS MiB | descriptors | threads |").AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (at, rowOps, rowErrors, sample) in rows)
        {
            text.AppendLine(invariant, $"| {at:hh\\:mm\\:ss} | {rowOps / interval.TotalSeconds:N0} | {rowErrors} | {sample.RssKiB / 1024.0:F0} | {sample.Descriptors} | {sample.Threads} |");
        }

        if (tally.FirstErrors.Count > 0)
        {
            text.AppendLine().AppendLine("First errors:").AppendLine();
            foreach (var error in tally.FirstErrors)
            {
                text.AppendLine(invariant, $"- `{error}`");
            }
        }

        return text.ToString();
    }
}
