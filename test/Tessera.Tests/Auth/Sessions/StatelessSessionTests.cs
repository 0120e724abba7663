using Tessera.Stores;

namespace Tessera.Tests.Auth.Sessions;

public sealed class StatelessSessionTests
{
    private const string Password = AuthHosts.Password;

    private static Task<TesseraTestHost> Start(ManualTimeProvider? time = null) => AuthHosts.StartAsync(
        o =>
        {
            o.Configuration["Tessera:Sessions:StatelessSessions"] = "true";
            o.Configuration["Tessera:Sessions:SessionTtl"] = "3600";
        },
        configure: t =>
        {
            if (time is not null)
            {
                t.Services.AddSingleton<TimeProvider>(time);
            }
        });

    [Fact]
    public async Task Login_IssuesAnEncryptedIdAndStoresNoSession()
    {
        await using var host = await Start();

        await host.Toto.CreateAccountAsync("ada", Password);

        Assert.StartsWith("s.", host.Toto.SessionId);
        Assert.DoesNotContain("ada", host.Toto.SessionId);
        Assert.Equal("ada", (await host.Toto.CallAsync("secure.who_am_i")).Result.GetString());
        Assert.Equal(0, await host.Services.GetRequiredService<ISessionStore>().DeleteExpiredAsync(DateTimeOffset.MaxValue, default));
    }

    [Fact]
    public async Task TamperedId_IsNoSession()
    {
        await using var host = await Start();
        await host.Toto.CreateAccountAsync("ada", Password);
        var id = host.Toto.SessionId!;
        var flipped = id[..^5] + (id[^5] == 'A' ? 'B' : 'A') + id[^4..];
        host.Toto.SessionId = flipped;

        Assert.Equal(1004, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }

    [Fact]
    public async Task SavingState_IssuesANewIdCarryingIt()
    {
        await using var host = await Start();
        await host.Toto.CreateAccountAsync("ada", Password);
        var before = host.Toto.SessionId;

        var put = await host.Toto.CallAsync("secure.put", new { key = "k", value = 9 });
        host.Toto.SessionId = put.Session!.Value.GetProperty("session_id").GetString();

        Assert.NotEqual(before, host.Toto.SessionId);
        Assert.Equal(9, (await host.Toto.CallAsync("secure.read", new { key = "k" })).Result.GetInt32());
    }

    [Fact]
    public async Task Logout_RevokesTheIdUntilItWouldHaveExpired()
    {
        await using var host = await Start();
        await host.Toto.CreateAccountAsync("ada", Password);

        await host.Toto.CallAsync("account.logout");

        Assert.Equal(1004, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }

    [Fact]
    public async Task EndAllSessions_ReachesStatelessSessions()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await Start(time);
        await host.Toto.CreateAccountAsync("ada", Password);
        time.Advance(TimeSpan.FromSeconds(1));

        await host.Services.GetRequiredService<AccountService>().EndAllSessionsAsync("ada");

        Assert.Equal(1004, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
        Assert.Null((await host.Toto.Fresh().LoginAsync("ada", Password)).ErrorCode);
    }

    [Fact]
    public async Task ExpiredId_IsNoSession()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await Start(time);
        await host.Toto.CreateAccountAsync("ada", Password);

        time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(1004, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }
}
