using System.Net.Http.Json;

namespace Tessera.Tests.Samples;

/// <summary>
/// Every sample runs on every store backend, chosen by command-line flags alone: each starts as a real process,
/// creates an account and makes a call that writes to its store.
/// </summary>
public sealed class SamplesOnEveryBackendTests
{
    [NeedsServerTheory("postgres", "redis", "mariadb")]
    [InlineData("HelloService", "memory")]
    [InlineData("HelloService", "sqlite")]
    [InlineData("HelloService", "postgres")]
    [InlineData("HelloService", "redis")]
    [InlineData("HelloService", "mysql")]
    [InlineData("Chat", "memory")]
    [InlineData("Chat", "sqlite")]
    [InlineData("Chat", "postgres")]
    [InlineData("Chat", "redis")]
    [InlineData("Chat", "mysql")]
    public async Task Sample_StartsAndAnswersASmokeCall_OnEveryBackend(string sample, string backend)
    {
        var directory = Directory.CreateTempSubdirectory("tessera-sample-");
        try
        {
            List<string> arguments = backend switch
            {
                "memory" => ["--database=memory"],
                "sqlite" => ["--database=sqlite", $"--db_connection=Data Source={Path.Combine(directory.FullName, "sample.db")}"],
                "postgres" => ["--database=postgres", "--db_connection=" + await (await PostgresServer.SharedAsync()).CreateDatabaseAsync()],
                "mysql" => ["--database=mysql", "--db_connection=" + await (await MariaDbServer.SharedAsync()).CreateDatabaseAsync()],
                _ => ["--database=sqlite", $"--db_connection=Data Source={Path.Combine(directory.FullName, "sample.db")}",
                    "--session_store=redis", "--redis=" + (await RedisServer.SharedAsync()).Configuration, "--redis_prefix=" + RedisServer.NewPrefix()],
            };
            await using var service = await ServiceProcess.StartAsync(sample, [.. arguments]);
            using var client = service.Client();

            var session = await CreateAccountAsync(client);
            var (method, parameters) = sample == "Chat" ? ("chat.post_message", (object)new { message = "hello" }) : ("counter.increment", new { });
            using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = JsonContent.Create(new { method, parameters }) };
            request.Headers.Add("x-toto-session-id", session);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.IsSuccessStatusCode, body);
            Assert.DoesNotContain("\"error\"", body);
            if (backend == "sqlite" || backend == "redis")
            {
                Assert.True(File.Exists(Path.Combine(directory.FullName, "sample.db")), "the SQLite file named on the command line was not used");
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> CreateAccountAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/", new { method = "account.create", parameters = new { user_id = "ada", password = AuthHosts.Password } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.TryGetProperty("error", out var error), error.ToString());
        return body.GetProperty("result").GetProperty("session_id").GetString()!;
    }
}
