namespace Tessera.Tests.Auth.Sessions;

public sealed class SessionTests
{
    private const string Password = AuthHosts.Password;

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Responses_CarryTheSessionBlock_ErrorsIncluded()
    {
        await using var host = await AuthHosts.StartAsync();
        var login = await host.Toto.CreateAccountAsync("ada", Password);

        var success = await host.Toto.CallAsync("secure.who_am_i");
        var failure = await host.Toto.CallAsync("secure.fail");

        foreach (var response in new[] { login, success, failure })
        {
            var session = response.Session!.Value;
            Assert.Equal(host.Toto.SessionId, session.GetProperty("session_id").GetString());
            Assert.Equal("ada", session.GetProperty("user_id").GetString());
            Assert.Equal(login.Result.GetProperty("expires").GetDouble(), session.GetProperty("expires").GetDouble(), 0);
        }

        Assert.Equal(4001, failure.ErrorCode);
    }

    [Fact]
    public async Task Responses_OfCallsThatLoadNoSession_HaveNoSessionBlock()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password);

        var response = await host.Toto.CallAsync("secure.plain");

        Assert.Equal("no session", response.Result.GetString());
        Assert.Null(response.Session);
    }

    [Fact]
    public async Task InventedSessionId_IsNeverAdopted()
    {
        await using var host = await AuthHosts.StartAsync();
        var client = host.Toto.Fresh();
        client.SessionId = "AAAAAAAAAAAAAAAAAAAAAA";

        var authenticated = await client.CallAsync("secure.who_am_i");
        var anonymous = await client.CallAsync("secure.visit");
        await host.Toto.CreateAccountAsync("ada", Password);
        var login = await client.LoginAsync("ada", Password);

        Assert.Equal(1004, authenticated.ErrorCode);
        Assert.NotEqual("AAAAAAAAAAAAAAAAAAAAAA", anonymous.Session!.Value.GetProperty("session_id").GetString());
        Assert.NotEqual("AAAAAAAAAAAAAAAAAAAAAA", login.Result.GetProperty("session_id").GetString());
    }

    [Theory]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task MalformedSessionId_IsNoSession(string id)
    {
        await using var host = await AuthHosts.StartAsync();
        var client = host.Toto.Fresh();
        client.SessionId = id;

        Assert.Equal("nobody", (await client.CallAsync("secure.maybe")).Result.GetString());
    }

    [Fact]
    public async Task AnonymousSession_IsCreatedWhenMissingAndKeptWhenPresented()
    {
        await using var host = await AuthHosts.StartAsync();

        var first = await host.Toto.CallAsync("secure.visit");
        host.Toto.SessionId = first.Session!.Value.GetProperty("session_id").GetString();
        var second = await host.Toto.CallAsync("secure.visit");

        Assert.Equal("anonymous", first.Result.GetString());
        Assert.Equal(JsonValueKind.Null, first.Session!.Value.GetProperty("user_id").ValueKind);
        Assert.Equal(host.Toto.SessionId, second.Session!.Value.GetProperty("session_id").GetString());
        Assert.Equal(1004, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }

    [Fact]
    public async Task ExpiredSession_Answers1004()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AuthHosts.StartAsync(
            o => o.Configuration["Tessera:Sessions:SessionTtl"] = "3600",
            configure: t => t.Services.AddSingleton<TimeProvider>(time));
        await host.Toto.CreateAccountAsync("ada", Password);

        time.Advance(TimeSpan.FromMinutes(59));
        var before = await host.Toto.CallAsync("secure.who_am_i");
        time.Advance(TimeSpan.FromHours(2));
        var after = await host.Toto.CallAsync("secure.who_am_i");

        Assert.Equal("ada", before.Result.GetString());
        Assert.Equal(1004, after.ErrorCode);
    }

    [Fact]
    public async Task Renewal_SlidesExpiryForward_ButNeverPastTheAbsoluteLimit()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AuthHosts.StartAsync(
            o =>
            {
                o.Configuration["Tessera:Sessions:SessionTtl"] = "3600";
                o.Configuration["Tessera:Sessions:SessionMaxLifetime"] = "10800";
            },
            configure: t => t.Services.AddSingleton<TimeProvider>(time));
        await host.Toto.CreateAccountAsync("ada", Password);

        // Called every 50 minutes, a one-hour session stays alive...
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromMinutes(50));
            Assert.Equal("ada", (await host.Toto.CallAsync("secure.who_am_i")).Result.GetString());
        }

        // ...until three hours after sign-in, however active it is.
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(1004, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }

    [Fact]
    public async Task Renewal_Off_KeepsTheOriginalExpiry()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AuthHosts.StartAsync(
            o =>
            {
                o.Configuration["Tessera:Sessions:SessionTtl"] = "3600";
                o.Configuration["Tessera:Sessions:SessionRenew"] = "false";
            },
            configure: t => t.Services.AddSingleton<TimeProvider>(time));
        await host.Toto.CreateAccountAsync("ada", Password);

        time.Advance(TimeSpan.FromMinutes(50));
        await host.Toto.CallAsync("secure.who_am_i");
        time.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal(1004, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }

    [Fact]
    public async Task State_IsKeptBetweenCalls()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password);

        await host.Toto.CallAsync("secure.put", new { key = "answer", value = 42 });

        Assert.Equal(42, (await host.Toto.CallAsync("secure.read", new { key = "answer" })).Result.GetInt32());
        Assert.Equal(0, (await host.Toto.CallAsync("secure.read", new { key = "missing" })).Result.GetInt32());
    }

    [Theory]
    [InlineData("Memory")]
    [InlineData("Sqlite")]
    public async Task State_TwoRequestsSavingFromOneVersion_OneGets1012AndNothingIsLostSilently(string database)
    {
        var directory = Directory.CreateTempSubdirectory("tessera-race-");
        try
        {
            await using var host = await AuthHosts.StartAsync(
                o => o.Configuration["Tessera:Storage:DbConnection"] = $"Data Source={Path.Combine(directory.FullName, "t.db")}",
                database);
            await host.Toto.CreateAccountAsync("ada", Password);

            var answers = await Task.WhenAll(host.Toto.CallAsync("secure.race_put", new { value = 1 }), host.Toto.CallAsync("secure.race_put", new { value = 2 }));

            var winner = Assert.Single(answers, a => a.ErrorCode is null);
            var loser = Assert.Single(answers, a => a.ErrorCode is not null);
            Assert.Equal(1012, loser.ErrorCode);
            Assert.Equal("The session was changed by another request; reload it and try again.", loser.ErrorValue.GetString());
            Assert.Equal(winner.Result.GetInt32(), (await host.Toto.CallAsync("secure.read", new { key = "race" })).Result.GetInt32());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Cookies_CarryTheSessionWhenEnabled_AndTheHeaderWins()
    {
        await using var host = await AuthHosts.StartAsync(o => o.Configuration["Tessera:Sessions:UseCookies"] = "true");
        await host.Toto.CreateAccountAsync("ada", Password);
        await host.Toto.Fresh().CreateAccountAsync("bob", Password);
        var bobSession = (await host.Toto.Fresh().LoginAsync("bob", Password)).Result.GetProperty("session_id").GetString();

        using var login = new HttpRequestMessage(HttpMethod.Post, "/") { Content = Json($$$"""{"method":"account.login","parameters":{"user_id":"ada","password":"{{{Password}}}"}}""") };
        var answer = await host.Toto.Fresh().SendAsync(login);
        var setCookie = answer.Headers.GetValues("Set-Cookie").Single();
        var adaSession = answer.Result.GetProperty("session_id").GetString();

        Assert.StartsWith($"toto-session-id={adaSession};", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie.Replace("toto-session-id", ""), StringComparison.OrdinalIgnoreCase);

        using var byCookie = new HttpRequestMessage(HttpMethod.Post, "/secure/who_am_i") { Content = Json("{}") };
        byCookie.Headers.Add("Cookie", $"toto-session-id={adaSession}");
        Assert.Equal("ada", (await host.Toto.Fresh().SendAsync(byCookie)).Result.GetString());

        using var both = new HttpRequestMessage(HttpMethod.Post, "/secure/who_am_i") { Content = Json("{}") };
        both.Headers.Add("Cookie", $"toto-session-id={adaSession}");
        both.Headers.Add("x-toto-session-id", bobSession);
        Assert.Equal("bob", (await host.Toto.Fresh().SendAsync(both)).Result.GetString());
    }

    [Fact]
    public async Task Cookies_AreIgnoredWhenDisabled()
    {
        await using var host = await AuthHosts.StartAsync();
        var session = (await host.Toto.CreateAccountAsync("ada", Password)).Result.GetProperty("session_id").GetString();

        using var byCookie = new HttpRequestMessage(HttpMethod.Post, "/secure/who_am_i") { Content = Json("{}") };
        byCookie.Headers.Add("Cookie", $"toto-session-id={session}");

        Assert.Equal(1004, (await host.Toto.Fresh().SendAsync(byCookie)).ErrorCode);
    }

    [Fact]
    public async Task Cleanup_RemovesExpiredSessionsFromTheStore()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AuthHosts.StartAsync(
            o => o.Configuration["Tessera:Sessions:AnonSessionTtl"] = "60",
            configure: t => t.Services.AddSingleton<TimeProvider>(time));
        var session = (await host.Toto.CallAsync("secure.visit")).Session!.Value.GetProperty("session_id").GetString()!;
        var store = host.Services.GetRequiredService<Tessera.Stores.ISessionStore>();
        var hash = Tessera.Auth.Sessions.SessionIds.Hash(session);
        var sweeper = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>()
            .OfType<Tessera.Auth.Sessions.SessionCleanupService>().Single();

        await sweeper.SweepAsync(default);
        Assert.NotNull(await store.FindAsync(hash, default));
        time.Advance(TimeSpan.FromMinutes(2));
        await sweeper.SweepAsync(default);

        Assert.Null(await store.FindAsync(hash, default));
    }

    [Fact]
    public async Task Batch_LoadsTheSessionOnceAndAuthorizesEachEntry()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password);

        var response = await host.Toto.BatchAsync([("a", "secure.who_am_i", null), ("b", "secure.staff_only", null), ("c", "secure.plain", null)]);

        var batch = response.Json!.Value.GetProperty("batch");
        Assert.Equal("ada", batch.GetProperty("a").GetProperty("result").GetString());
        Assert.Equal(1004, batch.GetProperty("b").GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("no session", batch.GetProperty("c").GetProperty("result").GetString());
        Assert.Equal("ada", response.Session!.Value.GetProperty("user_id").GetString());
    }
}
