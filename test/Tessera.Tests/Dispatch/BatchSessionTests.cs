using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tessera.Testing;

namespace Tessera.Tests.Dispatch;

/// <summary>
/// Batch entries share one caller (the request's session) but never its mutable state: every acknowledged write of
/// a batch is kept, on every batch wire, round after round, through real Kestrel.
/// </summary>
public sealed class BatchSessionTests
{
    private const int Rounds = 50;
    private const int EntriesPerBatch = 20;

    [Theory]
    [InlineData("Memory")]
    [InlineData("Sqlite")]
    public async Task JsonRpcBatch_OfTwentyIncrementsOnOneSession_KeepsEveryAcknowledgedWrite(string database)
    {
        await WithHelloServiceAsync(database, async host =>
        {
            var session = await SignInAsync(host);
            for (var round = 1; round <= Rounds; round++)
            {
                var batch = string.Join(',', Enumerable.Range(0, EntriesPerBatch)
                    .Select(i => $$"""{"jsonrpc":"2.0","method":"counter.increment","id":{{i}}}"""));
                using var answer = await PostAsync(host, "/api", $"[{batch}]", session);

                var entries = answer.RootElement.EnumerateArray().ToList();
                Assert.Equal(EntriesPerBatch, entries.Count);
                Assert.All(entries, entry => Assert.True(entry.TryGetProperty("result", out _), entry.GetRawText()));
                var counts = entries.Select(e => e.GetProperty("result").GetProperty("count").GetInt32()).Order().ToList();
                // Each acknowledged increment saw a distinct count: none overwrote another.
                Assert.Equal(Enumerable.Range(((round - 1) * EntriesPerBatch) + 1, EntriesPerBatch), counts);
            }

            Assert.Equal((Rounds * EntriesPerBatch) + 1, await IncrementOnceAsync(host, session));
        });
    }

    [Theory]
    [InlineData("Memory")]
    [InlineData("Sqlite")]
    public async Task TotoBatch_OfTwentyIncrementsOnOneSession_KeepsEveryAcknowledgedWrite(string database)
    {
        await WithHelloServiceAsync(database, async host =>
        {
            var session = await SignInAsync(host);
            for (var round = 1; round <= Rounds; round++)
            {
                var batch = string.Join(',', Enumerable.Range(0, EntriesPerBatch)
                    .Select(i => $$"""{{JsonSerializer.Serialize($"k{i:D2}")}}:{"method":"counter.increment"}"""));
                using var answer = await PostAsync(host, "/", "{\"batch\":{" + batch + "}}", session);

                var entries = answer.RootElement.GetProperty("batch").EnumerateObject().ToList();
                Assert.Equal(EntriesPerBatch, entries.Count);
                // The Toto batch runs in key order: k00 counts first.
                var counts = entries.OrderBy(e => e.Name, StringComparer.Ordinal)
                    .Select(e => e.Value.GetProperty("result").GetProperty("count").GetInt32()).ToList();
                Assert.Equal(Enumerable.Range(((round - 1) * EntriesPerBatch) + 1, EntriesPerBatch), counts);
            }

            Assert.Equal((Rounds * EntriesPerBatch) + 1, await IncrementOnceAsync(host, session));
        });
    }

    [Fact]
    public async Task JsonRpcBatch_MixingLoginWithAuthenticatedCalls_AnswersEveryEntryAndLosesNoWrite()
    {
        await WithHelloServiceAsync("Memory", async host =>
        {
            var session = await SignInAsync(host);
            var oldCount = 0;
            for (var round = 0; round < 20; round++)
            {
                var entries = new List<string> { """{"jsonrpc":"2.0","method":"account.login","params":{"user_id":"ada","password":"CorrectHorse!Battery7"},"id":"login"}""" };
                entries.AddRange(Enumerable.Range(0, 8).Select(i => $$"""{"jsonrpc":"2.0","method":"counter.increment","id":{{i}}}"""));
                entries.Add("""{"jsonrpc":"2.0","method":"greeting.hello","params":{"name":"ada"},"id":"hello"}""");
                using var answer = await PostAsync(host, "/api", $"[{string.Join(',', entries)}]", session);

                var byId = answer.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("id").ToString());
                Assert.Equal(10, byId.Count);
                Assert.Equal("hello ada", byId["hello"].GetProperty("result").GetString());
                var newSession = byId["login"].GetProperty("result").GetProperty("session_id").GetString()!;
                var counts = new List<int>();
                foreach (var i in Enumerable.Range(0, 8))
                {
                    // Entries run concurrently with the login: each runs as the caller stands when it starts, on the
                    // session it came with (which the login ends) or on the new one; each gets its count or a clean 1004.
                    var entry = byId[i.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                    if (entry.TryGetProperty("result", out var result))
                    {
                        counts.Add(result.GetProperty("count").GetInt32());
                    }
                    else
                    {
                        Assert.Equal(1004, entry.GetProperty("error").GetProperty("code").GetInt32());
                    }
                }

                // m increments landed on the new session (the next one counts m + 1); the others on the old one. Every
                // acknowledged count is then exactly 1..m on the new session and oldCount+1.. on the old: none lost,
                // none counted twice.
                var next = await IncrementOnceAsync(host, newSession);
                var onNew = next - 1;
                var expected = Enumerable.Range(1, onNew).Concat(Enumerable.Range(oldCount + 1, counts.Count - onNew)).Order();
                Assert.Equal(expected, counts.Order());
                session = newSession;
                oldCount = next;
            }
        });
    }

    [Fact]
    public async Task TotoBatch_LoginThenIncrement_RunsTheIncrementOnTheNewSessionAndAnswersIt()
    {
        await WithHelloServiceAsync("Memory", async host =>
        {
            var old = await SignInAsync(host);
            using var answer = await PostAsync(host, "/", """
                {"batch":{"a":{"method":"account.login","parameters":{"user_id":"ada","password":"CorrectHorse!Battery7"}},
                          "b":{"method":"counter.increment"}}}
                """, old);

            var batch = answer.RootElement.GetProperty("batch");
            var newSession = batch.GetProperty("a").GetProperty("result").GetProperty("session_id").GetString();
            Assert.NotEqual(old, newSession);
            Assert.Equal(1, batch.GetProperty("b").GetProperty("result").GetProperty("count").GetInt32());
            Assert.Equal(newSession, answer.RootElement.GetProperty("session").GetProperty("session_id").GetString());
            Assert.Equal(2, await IncrementOnceAsync(host, newSession!));
        });
    }

    private static async Task WithHelloServiceAsync(string database, Func<TesseraTestHost, Task> test)
    {
        var directory = Directory.CreateTempSubdirectory("tessera-batch-");
        try
        {
            await using var host = await Hosts.StartHelloServiceAsync(o =>
            {
                o.UseKestrel = true;
                o.Timeout = TimeSpan.FromSeconds(60);
                o.Configuration["Tessera:Storage:Database"] = database;
                o.Configuration["Tessera:Storage:DbConnection"] = $"Data Source={Path.Combine(directory.FullName, "tessera.db")}";
                o.Configuration["Tessera:MaxBatchSize"] = "50";
            });
            await test(host).WaitAsync(TimeSpan.FromMinutes(3));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> SignInAsync(TesseraTestHost host)
    {
        var created = await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);
        Assert.Null(created.ErrorCode);
        return host.Toto.SessionId!;
    }

    private static async Task<int> IncrementOnceAsync(TesseraTestHost host, string session)
    {
        using var answer = await PostAsync(host, "/counter/increment", "{}", session);
        return answer.RootElement.GetProperty("result").GetProperty("count").GetInt32();
    }

    private static async Task<JsonDocument> PostAsync(TesseraTestHost host, string path, string json, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("x-toto-session-id", session);
        using var response = await host.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body);
    }
}
