using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tessera.Fuzz;

// Feeds every parser of Tessera generated and mutated requests, in process, and checks that each ends in an answer or
// a documented error: no 5xx, no error 1000 or -32603, no answer outside the wire's format, nothing slower than the
// per-input bound, no accepted replay of a signed request. Exit code 1 when any input failed.
//
//   dotnet run -c Release --project bench/fuzz -- [--inputs N] [--seed S] [--only NAME] [--report FILE]
var inputs = 1_000_000;
var seed = 20261130;
string? only = null;
string? report = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--inputs": inputs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--only": only = args[++i]; break;
        case "--report": report = args[++i]; break;
        default:
            Console.Error.WriteLine("usage: Tessera.Fuzz [--inputs N] [--seed S] [--only NAME] [--report FILE]");
            return 2;
    }
}

var perInputBound = TimeSpan.FromSeconds(5);
await using var host = await FuzzHost.StartAsync();
var rows = new List<Row>();
var failures = new List<string>();
var clock = Stopwatch.StartNew();
foreach (var target in Targets.All(host).Where(t => only is null || t.Name == only))
{
    // One stream per parser, the same in every process for a given seed: HashCode.Combine is seeded anew in each
    // process, so with it --seed reproduced nothing.
    var random = new Random(seed ^ StableHash(target.Name));
    var mutator = new Mutator(random, target.Tokens);
    var json = new JsonGenerator(random);
    var pool = new List<byte[]>(target.Seeds);
    var row = new Row(target.Name);
    var started = clock.Elapsed;
    for (var n = 0; n < inputs; n++)
    {
        var input = target.Generate is { } generate && random.Next(4) == 0
            ? generate(random, json)
            : mutator.Mutate(pool[random.Next(pool.Count)], target.Seeds);
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var watch = Stopwatch.StartNew();
        Outcome outcome;
        using (var bound = new CancellationTokenSource(perInputBound))
        {
            try
            {
                outcome = await target.Send(input, bound.Token);
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                outcome = Outcome.Failed($"no answer within {perInputBound.TotalSeconds:0} s");
            }
            catch (Exception exception) when (exception is UriFormatException or FormatException)
            {
                outcome = Outcome.Unsendable;
            }
            catch (Exception exception)
            {
                outcome = Outcome.Failed($"{exception.GetType().Name}: {exception.Message}");
            }
        }

        row.Count(outcome.Verdict, watch.Elapsed, GC.GetTotalAllocatedBytes() - allocatedBefore);
        if (outcome.Verdict == Verdict.Failed && failures.Count(f => f.StartsWith(target.Name + ":", StringComparison.Ordinal)) < 5)
        {
            failures.Add($"{target.Name}: {outcome.Why}\n    input (base64): {Convert.ToBase64String(input)}");
        }
        else if (outcome.Verdict == Verdict.Answered && pool.Count < 256 && random.Next(8) == 0)
        {
            // Inputs that still got through are good parents: their mutations go deeper than the seeds'.
            pool.Add(input);
        }
    }

    row.Seconds = (clock.Elapsed - started).TotalSeconds;
    rows.Add(row);
    Console.WriteLine(row.ToString());
}

var table = new StringBuilder()
    .AppendLine("| parser | inputs | answered | refused (documented error) | unsendable | failed | inputs/s | slowest (ms) | most allocated (KiB) |")
    .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var row in rows)
{
    table.AppendLine(row.Markdown());
}

Console.WriteLine();
Console.WriteLine(table);
foreach (var failure in failures)
{
    Console.Error.WriteLine(failure);
}

if (report is not null)
{
    var text = new StringBuilder()
        .AppendLine("# Fuzzing the parsers")
        .AppendLine()
        .AppendLine($"{DateTime.UtcNow:yyyy-MM-dd}, {Machine()}, .NET {Environment.Version}. Command: `bench/fuzz/run.sh --inputs {inputs}` (seed {seed}).")
        .AppendLine()
        .AppendLine("Each input is a mutated seed (bit flips, interesting bytes, inserted, deleted, duplicated and spliced ranges, format")
        .AppendLine("tokens) or, for the JSON wires, a generated request; it is sent in process through the whole ASP.NET Core")
        .AppendLine("pipeline (TestServer). It passes when it ends in an answer or a documented error within 5 s; it fails on a 5xx,")
        .AppendLine("error 1000 or -32603, an answer that is not the wire's format, a hang, or (signature) any accepted replay.")
        .AppendLine("Allocation is the whole process's during the input.")
        .AppendLine()
        .Append(table)
        .AppendLine()
        .AppendLine(failures.Count == 0 ? "No input failed." : "Failures:\n\n```\n" + string.Join('\n', failures) + "\n```");
    await File.WriteAllTextAsync(report, text.ToString());
}

return rows.Any(r => r.Failed > 0) ? 1 : 0;

// FNV-1a over the name's characters.
static int StableHash(string text)
{
    var hash = 2166136261u;
    foreach (var c in text)
    {
        hash = (hash ^ c) * 16777619u;
    }

    return unchecked((int)hash);
}

static string Machine()
{
    var model = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
    return $"{model ?? "unknown CPU"}, {Environment.ProcessorCount} cores";
}

internal sealed class Row(string name)
{
    public string Name { get; } = name;

    public long Answered { get; private set; }

    public long Refused { get; private set; }

    public long Unsendable { get; private set; }

    public long Failed { get; private set; }

    public double Seconds { get; set; }

    private TimeSpan _slowest;
    private long _mostAllocated;

    private long Total => Answered + Refused + Unsendable + Failed;

    public void Count(Verdict verdict, TimeSpan elapsed, long allocated)
    {
        switch (verdict)
        {
            case Verdict.Answered: Answered++; break;
            case Verdict.Refused: Refused++; break;
            case Verdict.Unsendable: Unsendable++; break;
            default: Failed++; break;
        }

        _slowest = elapsed > _slowest ? elapsed : _slowest;
        _mostAllocated = Math.Max(_mostAllocated, allocated);
    }

    public string Markdown() => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {Total:N0} | {Answered:N0} | {Refused:N0} | {Unsendable:N0} | {Failed:N0} | {Total / Math.Max(Seconds, 0.001):N0} | {_slowest.TotalMilliseconds:N0} | {_mostAllocated / 1024:N0} |");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-14} {Total,9:N0} inputs  {Answered,9:N0} answered  {Refused,9:N0} refused  {Unsendable,7:N0} unsendable  {Failed,5:N0} failed  {Seconds,6:N1} s");
}
