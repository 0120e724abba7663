using System.Diagnostics;
using System.Net.Http.Headers;
using Tessera.Client;
using Xunit.Abstractions;

namespace Tessera.Tests.Faults;

/// <summary>
/// The fault suite (bench/faults/run.sh runs it with 100 trials; the test suite with 5): HelloService killed with
/// SIGKILL in the middle of four concurrent writers, on each backend, then started again: every increment it had
/// acknowledged must be there. Also the time a running service takes to serve again after its PostgreSQL or Redis
/// restarts, and exact replays of a captured signed request. Each test prints a "faults:" line for the report.
/// </summary>
public sealed class KillNineTrialTests(ITestOutputHelper output)
{
    private const int Writers = 4;

    private static int Trials =>
        int.TryParse(Environment.GetEnvironmentVariable("TESSERA_FAULT_TRIALS"), out var trials) && trials > 0 ? trials : 5;

    [NeedsServerTheory("postgres", "redis", "mariadb")]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    [InlineData("redis")]
    [InlineData("mysql")]
    public async Task KillNine_AmidFourWriters_LosesNoAcknowledgedWrite(string backend)
    {
        var data = Directory.CreateTempSubdirectory("tessera-faults-");
        try
        {
            string[] arguments = backend switch
            {
                "sqlite" => [],
                "postgres" => ["--database=postgres", "--db_connection=" + await (await PostgresServer.SharedAsync()).CreateDatabaseAsync()],
                "redis" => ["--session_store=redis", "--redis=" + (await RedisServer.SharedAsync()).Configuration, "--redis_prefix=" + RedisServer.NewPrefix()],
                _ => ["--database=mysql", "--db_connection=" + await (await MariaDbServer.SharedAsync()).CreateDatabaseAsync()],
            };
            arguments = [.. arguments, "--data_dir=" + data.FullName, "--store_timeout=2"];

            var acknowledged = new int[Writers];
            string[] sessions = [];
            long lost = 0, writes = 0;
            var random = new Random(backend.GetHashCode(StringComparison.Ordinal));
            for (var trial = 0; trial <= Trials; trial++)
            {
                await using var service = await ServiceProcess.StartAsync("HelloService", arguments);
                if (trial == 0)
                {
                    sessions = await Task.WhenAll(Enumerable.Range(0, Writers).Select(async user =>
                        (await new TotoTestClient(service.Client()).CreateAccountAsync($"writer{user}", AuthHosts.Password)).Session!.Value.GetProperty("session_id").GetString()!));
                }
                else
                {
                    // After the restart: what each writer last had acknowledged must be stored.
                    for (var user = 0; user < Writers; user++)
                    {
                        var answer = await Client(service, sessions[user]).CallAsync("counter.increment");
                        Assert.True(answer.ErrorCode is null, answer.Body);
                        var stored = answer.Result.GetProperty("count").GetInt32() - 1;
                        lost += Math.Max(0, acknowledged[user] - stored);
                        acknowledged[user] = stored + 1;
                    }
                }

                if (trial == Trials)
                {
                    break;
                }

                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, Writers).Select(user => Task.Run(async () =>
                {
                    var client = Client(service, sessions[user]);
                    var count = 0L;
                    while (!stop.IsCancellationRequested)
                    {
                        try
                        {
                            var answer = await client.CallAsync("counter.increment");
                            if (answer.ErrorCode is null)
                            {
                                acknowledged[user] = answer.Result.GetProperty("count").GetInt32();
                                count++;
                            }
                        }
                        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                        {
                            return count; // the process is gone: nothing more is acknowledged
                        }
                    }

                    return count;
                })).ToArray();

                await Task.Delay(random.Next(150, 600));
                Process.GetProcessById(service.ProcessId).Kill();
                await stop.CancelAsync();
                writes += (await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30))).Sum();
            }

            output.WriteLine($"faults: kill -9 | {backend} | {Trials} trials | {Writers} writers | {writes} acknowledged writes | {lost} lost");
            Assert.True(writes > Trials * 10, $"only {writes} writes were acknowledged: the kills did not land amid writes");
            Assert.Equal(0, lost);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [NeedsServerTheory("postgres", "redis")]
    [InlineData("postgres", 10)]
    [InlineData("redis", 5)]
    public async Task StoreRestart_TheRunningServiceServesAgainWithinTheGoal(string backend, int goalSeconds)
    {
        await using var postgres = backend == "postgres" ? await PostgresServer.StartAsync() : null;
        await using var redis = backend == "redis" ? await RedisServer.StartAsync(persistent: true) : null;
        string[] arguments = postgres is not null
            ? ["--database=postgres", "--db_connection=" + await postgres.CreateDatabaseAsync(), "--store_timeout=2"]
            : ["--database=memory", "--session_store=redis", "--redis=" + redis!.Configuration, "--redis_prefix=" + RedisServer.NewPrefix(), "--store_timeout=2"];
        await using var service = await ServiceProcess.StartAsync("HelloService", arguments);
        var session = (await new TotoTestClient(service.Client()).CreateAccountAsync("ada", AuthHosts.Password)).Session!.Value.GetProperty("session_id").GetString()!;
        var client = Client(service, session);
        Assert.Null((await client.CallAsync("counter.increment")).ErrorCode);

        if (postgres is not null)
        {
            await postgres.StopAsync();
        }
        else
        {
            await redis!.StopAsync();
        }

        Assert.NotNull((await client.CallAsync("counter.increment")).ErrorCode);
        var restarted = Stopwatch.StartNew();
        if (postgres is not null)
        {
            await postgres.StartAgainAsync();
        }
        else
        {
            await redis!.StartAgainAsync();
        }

        var serverBack = restarted.Elapsed;
        int? code;
        do
        {
            code = (await client.CallAsync("counter.increment")).ErrorCode;
            if (code is not null)
            {
                await Task.Delay(50);
            }
        }
        while (code is not null && restarted.Elapsed < TimeSpan.FromSeconds(goalSeconds * 3));

        output.WriteLine($"faults: restart | {backend} | serving again {restarted.Elapsed.TotalSeconds:0.0} s after the restart began (the server itself took {serverBack.TotalSeconds:0.0} s) | goal {goalSeconds} s");
        Assert.Null(code);
        Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(goalSeconds), $"{restarted.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task ReplaysOfACapturedSignedRequest_AreNeverAccepted()
    {
        await using var service = await ServiceProcess.StartAsync("HelloService", "--database=memory", "--hmac=signed");
        var recorder = new Recorder(new SocketsHttpHandler());
        using var http = new HttpClient(recorder) { BaseAddress = new Uri($"http://127.0.0.1:{service.Port}") };
        await using var client = new TesseraClient(http, new TesseraClientOptions
        {
            BaseAddress = http.BaseAddress,
            Wire = TesseraWire.Toto,
            Signing = TesseraSigning.Signed,
        });
        await client.Accounts.CreateAsync("ada", AuthHosts.Password);
        Assert.Equal(1, (await client.CallAsync<CountAnswer>("counter.increment")).Count);
        var captured = recorder.Last!;

        const int replays = 10_000;
        var accepted = 0;
        using var raw = service.Client();
        for (var i = 0; i < replays; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, captured.Path) { Content = new ByteArrayContent(captured.Body) };
            request.Content.Headers.ContentType = captured.ContentType;
            foreach (var (name, value) in captured.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await raw.SendAsync(request);
            if ((await response.Content.ReadAsStringAsync()).Contains("\"result\"", StringComparison.Ordinal))
            {
                accepted++;
            }
        }

        output.WriteLine($"faults: replay | signed | {replays} exact replays of a captured signed counter.increment | {accepted} accepted");
        Assert.Equal(0, accepted);
        Assert.Equal(2, (await client.CallAsync<CountAnswer>("counter.increment")).Count);
    }

    private static TotoTestClient Client(ServiceProcess service, string session) =>
        new(service.Client()) { SessionId = session };

    private sealed record CountAnswer(int Count);

    private sealed record Captured(string Path, List<KeyValuePair<string, string>> Headers, MediaTypeHeaderValue? ContentType, byte[] Body);

    private sealed class Recorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public Captured? Last { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Last = new Captured(request.RequestUri!.PathAndQuery, [.. request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(",", h.Value)))],
                request.Content?.Headers.ContentType, body);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
