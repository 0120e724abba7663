using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace Tessera.Tests.Samples;

public sealed class HelloServiceCounterTests
{
    [Fact]
    public async Task Increment_CountsPerSession()
    {
        await using var host = await Hosts.StartHelloServiceAsync();
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);

        var first = await host.Toto.CallAsync("counter.increment");
        var second = await host.Toto.CallAsync("counter.increment");
        await host.Toto.LoginAsync("ada", AuthHosts.Password);
        var newSession = await host.Toto.CallAsync("counter.increment");

        Assert.Equal("""{"count":1}""", first.Result.GetRawText());
        Assert.Equal(2, second.Result.GetProperty("count").GetInt32());
        Assert.Equal(1, newSession.Result.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Increment_WithoutSignIn_Answers1004()
    {
        await using var host = await Hosts.StartHelloServiceAsync();

        Assert.Equal(1004, (await host.Toto.CallAsync("counter.increment")).ErrorCode);
    }

    [Theory]
    [InlineData("Memory")]
    [InlineData("Sqlite")]
    public async Task Increment_SixteenClientsTwoHundredTimesEachOnOneSession_LosesNoUpdate(string database)
    {
        var directory = Directory.CreateTempSubdirectory("tessera-counter-");
        try
        {
            await using var host = await Hosts.StartHelloServiceAsync(o =>
            {
                o.Configuration["Tessera:Storage:Database"] = database;
                o.Configuration["Tessera:Storage:DbConnection"] = $"Data Source={Path.Combine(directory.FullName, "tessera.db")}";
                o.Timeout = TimeSpan.FromSeconds(60);
            });
            await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);
            var session = host.Toto.SessionId;

            var clients = Enumerable.Range(0, 16).Select(_ =>
            {
                var client = host.Toto.Fresh();
                client.SessionId = session;
                return Task.Run(async () =>
                {
                    for (var i = 0; i < 200; i++)
                    {
                        var response = await client.CallAsync("counter.increment");
                        Assert.Null(response.ErrorCode);
                    }
                });
            });
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromMinutes(2));

            Assert.Equal(3201, (await host.Toto.CallAsync("counter.increment")).Result.GetProperty("count").GetInt32());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }
}

public sealed class HelloServiceRestartTests
{
    [Fact]
    public async Task Process_RestartedOnTheSameSqliteFile_KeepsTheSessionAndItsState()
    {
        var directory = Directory.CreateTempSubdirectory("tessera-restart-");
        var database = $"--db_connection=Data Source={Path.Combine(directory.FullName, "hello.db")}";
        try
        {
            string sessionId;
            await using (var first = await ServiceProcess.StartAsync("HelloService", database))
            {
                using var client = first.Client();
                var created = await client.PostAsync("/account/create", JsonContent.Create(new { user_id = "ada", password = AuthHosts.Password }));
                sessionId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetProperty("session_id").GetString()!;
                Assert.Equal(1, await Increment(client, sessionId));
                Assert.Equal(0, await first.TerminateAsync());
            }

            await using var second = await ServiceProcess.StartAsync("HelloService", database);
            using var again = second.Client();

            Assert.Equal(2, await Increment(again, sessionId));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<int> Increment(HttpClient client, string sessionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/counter/increment") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("x-toto-session-id", sessionId);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty("result", out var result)
            ? result.GetProperty("count").GetInt32()
            : throw new InvalidOperationException(body.GetRawText());
    }
}
