namespace Tessera.Tests.ScaleOut;

/// <summary>
/// Three HelloService processes with accounts and sessions in PostgreSQL and the event log on a JetStream stream
/// (<c>--events=nats</c>): an event published on A reaches SSE subscribers on B and C once each and in order, across a
/// NATS restart; publishing while NATS is down is refused with 1013, nothing acknowledged is lost, and Last-Event-ID
/// resumes on another instance.
/// </summary>
public sealed class NatsEventsTests
{
    [NeedsServerFact("postgres", "nats")]
    public async Task EventsPublishedOnA_ReachBAndC_ExactlyOnceInOrder_AcrossANatsRestart()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var cluster = await ServiceCluster.StartAsync(3, "database",
            extraArguments: ["--events=nats", "--nats=" + nats.Url, "--nats_stream=" + NatsServer.NewStream()]);
        var session = (await cluster.Client(0).CreateAccountAsync("ada", AuthHosts.Password)).Session!.Value.GetProperty("session_id").GetString();
        using var httpB = cluster.Instances[1].Client();
        using var httpC = cluster.Instances[2].Client();
        await using var streamB = await SseClient.OpenAsync(httpB, "/events?topics=announcements");
        await using var streamC = await SseClient.OpenAsync(httpC, "/events?topics=announcements");
        var acknowledged = new List<(long Id, string Text)>();

        async Task<TotoResponse> PostAsync(string text)
        {
            var answer = await cluster.Client(0, session).CallAsync("announcement.post", new { text });
            if (answer.ErrorCode is null)
            {
                acknowledged.Add((answer.Result.GetInt64(), text));
            }

            return answer;
        }

        for (var i = 1; i <= 5; i++)
        {
            Assert.Null((await PostAsync($"before {i}")).ErrorCode);
        }

        await nats.StopAsync();
        var duringOutage = await PostAsync("during the outage");
        await nats.StartAgainAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await PostAsync("first after the restart")).ErrorCode is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        for (var i = 1; i <= 5; i++)
        {
            Assert.Null((await PostAsync($"after {i}")).ErrorCode);
        }

        Assert.Equal(1013, duringOutage.ErrorCode);
        foreach (var stream in new[] { streamB, streamC })
        {
            var received = new List<(long Id, string Text)>();
            while (received.Count < acknowledged.Count)
            {
                var next = await stream.NextAsync(TimeSpan.FromSeconds(20));
                Assert.NotNull(next);
                received.Add((next.Value.Id, next.Value.Data.GetProperty("text").GetString()!));
            }

            Assert.Equal(acknowledged, received);
        }

        // A client that saw the fourth event on A resumes on C with Last-Event-ID: stream sequences are the same ids
        // on every instance, so it gets exactly the rest.
        await using var resumed = await SseClient.OpenAsync(httpC, "/events?topics=announcements", r => r.Headers.Add("Last-Event-ID", acknowledged[3].Id.ToString()));
        var rest = new List<(long Id, string Text)>();
        while (rest.Count < acknowledged.Count - 4)
        {
            var next = await resumed.NextAsync(TimeSpan.FromSeconds(20));
            Assert.NotNull(next);
            rest.Add((next.Value.Id, next.Value.Data.GetProperty("text").GetString()!));
        }

        Assert.Equal(acknowledged.Skip(4), rest);
    }
}
