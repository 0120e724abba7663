using System.Text.RegularExpressions;

namespace Tessera.Tests.ScaleOut;

/// <summary>deploy/nginx/tessera.conf, as docs/scaling.md gives it, in front of three instances on one PostgreSQL.</summary>
public sealed class NginxTests
{
    [NeedsServerFact("postgres", "nginx")]
    public async Task ShippedNginxConfig_BalancesCallsAndStreamsEventsAcrossThreeInstances()
    {
        await using var cluster = await ServiceCluster.StartAsync(3, "database");
        await using var nginx = await StartShippedConfigAsync(cluster.Instances.Select(i => i.Port).ToArray());
        var client = new TotoTestClient(nginx.Client());

        await client.CreateAccountAsync("ada", AuthHosts.Password);
        var counts = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var answer = await client.CallAsync("counter.increment");
            Assert.True(answer.ErrorCode is null, answer.Body);
            counts.Add(answer.Result.GetProperty("count").GetInt32());
        }

        using var http = nginx.Client();
        await using var stream = await SseClient.OpenAsync(http, "/events?topics=announcements");
        var posted = await client.CallAsync("announcement.post", new { text = "through nginx" });
        var received = await stream.NextAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 2, 3, 4, 5, 6], counts);
        Assert.Equal("through nginx", received!.Value.Data.GetProperty("text").GetString());
        Assert.Equal(posted.Result.GetInt64(), received.Value.Id);
        // The calls were spread: more than one instance served them, so the counts above crossed instances.
        var upstreams = nginx.UpstreamsUsed();
        Assert.True(upstreams.Count >= 2, $"nginx sent every call to {string.Join(", ", upstreams)}");
    }

    /// <summary>deploy/nginx/tessera.conf with its three upstreams pointed at the instances and a private port.</summary>
    private static async Task<PrivateNginx> StartShippedConfigAsync(int[] instancePorts)
    {
        var port = ServiceProcess.FreePort();
        var site = await File.ReadAllTextAsync(Path.Combine(ExternalTool.RepositoryRoot, "deploy", "nginx", "tessera.conf"));
        var upstream = 0;
        site = Regex.Replace(site, @"server 127\.0\.0\.1:888\d", _ => $"server 127.0.0.1:{instancePorts[upstream++]}");
        site = site.Replace("listen 80;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal);
        Assert.Equal(3, upstream);
        return await PrivateNginx.StartAsync(site, port);
    }
}
