using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Soak;

/// <summary>
/// The edges beside the soak, each while <see cref="Probe"/> measures <c>greeting.hello</c>: a quiet phase for
/// reference, then idle and slowloris connections held open, then a burst of concurrent logins.
/// </summary>
internal static class Edges
{
    private const string Password = "edges-password-1";

    public static async Task<int> RunAsync(Uri url, int idle, int slowloris, int logins, string output, bool enforceLatency)
    {
        // Logins queue for the password hasher (one derivation per core pair at a time): the last of 200 simultaneous ones
        // waits about 200 x 150 ms here, longer than a default 30 s client timeout, which is not what this measures.
        var service = new Service(url, TimeSpan.FromSeconds(120));
        Console.Error.WriteLine($"creating {logins} accounts...");
        var run = Guid.NewGuid().ToString("N")[..8];
        var users = Enumerable.Range(0, logins).Select(i => $"edge-{run}-{i}").ToArray();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, token) =>
            await service.TotoAsync("account.create", new JsonObject { ["user_id"] = user, ["password"] = Password }, cancellationToken: token));

        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine("| phase | probe calls | p50 ms | p99 ms | max ms | probe failures |").AppendLine("|---|---:|---:|---:|---:|---:|");
        var worst = 0.0;
        var failures = 0;
        await using var probe = new Probe(url);
        probe.Start();
        void Phase(string name)
        {
            var (sorted, failed) = probe.TakePhase();
            var p99 = sorted[(int)(sorted.Length * 0.99)];
            worst = Math.Max(worst, p99);
            failures += failed;
            text.AppendLine(invariant, $"| {name} | {sorted.Length:N0} | {sorted[sorted.Length / 2]:F2} | {p99:F2} | {sorted[^1]:F2} | {failed} |");
            Console.Error.WriteLine($"{name}: p99 {p99:F2} ms");
        }

        Console.Error.WriteLine("quiet phase...");
        await Task.Delay(TimeSpan.FromSeconds(15));
        probe.TakePhase();
        await Task.Delay(TimeSpan.FromSeconds(15));
        Phase("quiet (reference)");

        Console.Error.WriteLine($"opening {idle} idle and {slowloris} slowloris connections...");
        var notes = new List<string>();
        await using (var held = await HeldConnections.OpenAsync(url, idle, slowloris))
        {
            probe.TakePhase();
            await Task.Delay(TimeSpan.FromSeconds(40));
            Phase($"{idle:N0} idle + {slowloris:N0} slowloris connections held");
            var (open, closedSlow) = (held.CountOpenIdle(), held.SlowlorisClosedByServer);
            notes.Add($"- Of the {idle:N0} idle connections (half sent nothing, half made one request and went quiet), {open:N0} were still open after 40 s " +
                "(Kestrel's keep-alive timeout is 130 s).");
            notes.Add($"- The slowloris connections send one header line every 2 s and never finish; the server closed {closedSlow:N0} of them " +
                "in the 40 s (Kestrel's request-headers timeout is 30 s); each closed one was replaced at once.");
        }

        Console.Error.WriteLine($"{logins} concurrent logins...");
        probe.TakePhase();
        var loginTimes = new double[logins];
        var loginFailures = 0;
        var refusals = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(users.Select(async (user, i) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                Interlocked.Add(ref refusals, (await service.LoginAsync(user, Password)).Refusals);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref loginFailures);
            }

            loginTimes[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }));
        var burst = clock.Elapsed;
        Phase($"{logins} concurrent logins");
        Array.Sort(loginTimes);
        notes.Add($"- The {logins} logins (PBKDF2-SHA512, 210,000 iterations, at most `max_concurrent_hashes` at once) took {burst.TotalSeconds:F1} s in all; " +
            $"each signed in after p50 {loginTimes[logins / 2]:F0} ms, max {loginTimes[^1]:F0} ms; {loginFailures} failed. Past " +
            $"`max_queued_hashes_per_client` waiting from one address the service answers 1014 with Retry-After at once: {refusals} such " +
            "answers, each followed by a retry after the wait, as a client should.");

        text.AppendLine().AppendLine(string.Join('\n', notes));
        text.AppendLine().AppendLine(invariant, $"**Worst probe p99 {worst:F2} ms** (goal: under 100 ms in every phase); probe failures {failures}, login failures {loginFailures}.");
        await File.WriteAllTextAsync(output, text.ToString());
        Console.WriteLine(text);
        return (worst < 100 || !enforceLatency) && failures == 0 && loginFailures == 0 ? 0 : 1;
    }
}
