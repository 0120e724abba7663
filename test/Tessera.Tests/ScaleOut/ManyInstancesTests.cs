using System.Diagnostics;

namespace Tessera.Tests.ScaleOut;

/// <summary>
/// Three HelloService processes behind no balancer at all: every request goes to whichever instance the test picks,
/// and each must behave as if there were one service.
/// </summary>
public sealed class ManyInstancesTests
{
    [NeedsServerTheory("postgres", "redis", "mariadb")]
    [InlineData("database")]
    [InlineData("redis")]
    [InlineData("mysql")]
    public async Task ThreeInstances_ShareAccountsSessionsAndLogout(string sessionStore)
    {
        await using var cluster = await ServiceCluster.StartAsync(3, sessionStore);
        var created = await cluster.Client(0).CreateAccountAsync("ada", AuthHosts.Password);
        var session = created.Session!.Value.GetProperty("session_id").GetString();

        var counts = new List<int>();
        foreach (var instance in new[] { 1, 2, 1, 2 })
        {
            var answer = await cluster.Client(instance, session).CallAsync("counter.increment");
            Assert.True(answer.ErrorCode is null, answer.Body);
            counts.Add(answer.Result.GetProperty("count").GetInt32());
        }

        Assert.Equal([1, 2, 3, 4], counts);

        Assert.Null((await cluster.Client(2, session).CallAsync("account.logout")).ErrorCode);
        var clock = Stopwatch.StartNew();
        int? code;
        do
        {
            code = (await cluster.Client(1, session).CallAsync("counter.increment")).ErrorCode;
        }
        while (code != 1004 && clock.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(1004, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"instance B still honoured the session {clock.ElapsedMilliseconds} ms after logout on C");
    }

    [NeedsServerTheory("postgres", "redis", "mariadb")]
    [InlineData("database")]
    [InlineData("redis")]
    [InlineData("mysql")]
    public async Task EventPublishedOnA_ReachesAnSseSubscriberOnC(string sessionStore)
    {
        await using var cluster = await ServiceCluster.StartAsync(3, sessionStore);
        var created = await cluster.Client(0).CreateAccountAsync("ada", AuthHosts.Password);
        var session = created.Session!.Value.GetProperty("session_id").GetString();
        using var http = cluster.Instances[2].Client();
        await using var stream = await SseClient.OpenAsync(http, "/events?topics=announcements");

        var clock = Stopwatch.StartNew();
        var posted = await cluster.Client(0, session).CallAsync("announcement.post", new { text = "hello from A" });
        var received = await stream.NextAsync(TimeSpan.FromSeconds(10));

        Assert.True(posted.ErrorCode is null, posted.Body);
        Assert.NotNull(received);
        Assert.Equal(posted.Result.GetInt64(), received.Value.Id);
        Assert.Equal("announcements", received.Value.Topic);
        Assert.Equal("hello from A", received.Value.Data.GetProperty("text").GetString());
        Assert.Equal("ada", received.Value.Data.GetProperty("from").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the event took {clock.ElapsedMilliseconds} ms to cross instances");
    }

    [NeedsServerTheory("postgres", "redis", "mariadb")]
    [InlineData("database")]
    [InlineData("redis")]
    [InlineData("mysql")]
    public async Task KillNineOfOneInstance_DuringAStreamOfWrites_LosesNoAcknowledgedWrite(string sessionStore)
    {
        await using var cluster = await ServiceCluster.StartAsync(3, sessionStore);
        var sessions = new List<string>();
        for (var user = 0; user < 4; user++)
        {
            var created = await cluster.Client(0).CreateAccountAsync($"user{user}", AuthHosts.Password);
            sessions.Add(created.Session!.Value.GetProperty("session_id").GetString()!);
        }

        var acknowledged = new int[sessions.Count];
        using var killed = new ManualResetEventSlim();
        var writers = sessions.Select((session, user) => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                var instance = i % 3;
                try
                {
                    var answer = await cluster.Client(instance, session).CallAsync("counter.increment");
                    if (answer.ErrorCode is null)
                    {
                        Interlocked.Increment(ref acknowledged[user]);
                    }
                }
                catch (HttpRequestException) when (instance == 1 && killed.IsSet)
                {
                    // The killed instance refuses connections: those writes were never acknowledged.
                }
                catch (TaskCanceledException) when (instance == 1 && killed.IsSet)
                {
                }
            }
        })).ToArray();

        while (acknowledged.Sum() < 40 && !writers.All(w => w.IsCompleted))
        {
            await Task.Delay(5);
        }

        // SIGKILL: no shutdown, no flushing, requests in flight are cut.
        Process.GetProcessById(cluster.Instances[1].ProcessId).Kill();
        killed.Set();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(2));

        // Enough went through the survivors, and some writes were refused: the kill landed mid-stream.
        Assert.InRange(acknowledged.Sum(), 150, 239);
        for (var user = 0; user < sessions.Count; user++)
        {
            var final = await cluster.Client(2, sessions[user]).CallAsync("counter.increment");
            var count = final.Result.GetProperty("count").GetInt32();
            // Every acknowledged increment is there; at most one more, cut off by the kill after it was written.
            Assert.InRange(count, acknowledged[user] + 1, acknowledged[user] + 2);
        }
    }
}
