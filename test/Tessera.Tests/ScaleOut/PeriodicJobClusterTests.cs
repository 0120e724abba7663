using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace Tessera.Tests.ScaleOut;

/// <summary>
/// HelloService's <c>service.heartbeat</c> job every second on three processes sharing PostgreSQL: each tick runs on
/// exactly one of them, and the job survives <c>kill -9</c> of the instance that ran it last.
/// </summary>
public sealed class PeriodicJobClusterTests
{
    private static readonly string[] EverySecond = ["--Tessera:Periodic:service.heartbeat=00:00:01"];

    [NeedsServerFact("postgres")]
    public async Task ThreeInstances_EveryTickRunsOnce_AndAfterKillNineOfTheHolderAnotherTakesOver()
    {
        var postgres = await PostgresServer.SharedAsync();
        await using var cluster = await ServiceCluster.StartAsync(3, "database", postgres, extraArguments: EverySecond);
        var connection = cluster.Arguments.Single(a => a.StartsWith("--db_connection=", StringComparison.Ordinal))["--db_connection=".Length..];

        var watchedFrom = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(20.5));
        var all = await HeartbeatsAsync(connection);
        var runs = all.Where(r => r.At > watchedFrom && r.At <= watchedFrom.AddSeconds(20)).ToList();
        var perSecond = runs.GroupBy(r => NearestSecond(r.At)).ToList();
        Assert.All(perSecond, second => Assert.True(second.Count() == 1,
            $"second {second.Key} ran {second.Count()} times, on {string.Join(", ", second.Select(r => r.Instance))}"));
        Assert.InRange(runs.Count, 19, 21);
        Assert.All(all.GroupBy(r => NearestSecond(r.At)), second => Assert.Single(second));
        var pids = cluster.Instances.Select(i => i.ProcessId).ToHashSet();
        Assert.All(runs, run => Assert.Contains(run.Instance, pids));

        var holder = cluster.Instances.Single(i => i.ProcessId == all[^1].Instance);
        var killedAt = DateTimeOffset.UtcNow;
        Process.GetProcessById(holder.ProcessId).Kill();
        await Task.Delay(TimeSpan.FromSeconds(6));
        var after = (await HeartbeatsAsync(connection)).Where(r => r.At > killedAt.AddMilliseconds(500)).ToList();
        Assert.True(after.Count >= 4, $"{after.Count} runs in the 5.5 s after kill -9 of {holder.ProcessId}");
        Assert.DoesNotContain(after, run => run.Instance == holder.ProcessId);
        Assert.Equal(after.Count, after.Select(r => NearestSecond(r.At)).Distinct().Count());
    }

    /// <summary>The tick a run belongs to: runs start on the second, give or take a few milliseconds of timer and store.</summary>
    private static long NearestSecond(DateTimeOffset at) => (long)Math.Round(at.ToUnixTimeMilliseconds() / 1000.0);

    private static async Task<List<(int Instance, DateTimeOffset At)>> HeartbeatsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT data FROM tessera_events WHERE topic = 'service.heartbeat' ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new List<(int, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            using var data = JsonDocument.Parse(reader.GetString(0));
            runs.Add((data.RootElement.GetProperty("instance").GetInt32(), data.RootElement.GetProperty("at").GetDateTimeOffset()));
        }

        return runs;
    }
}
