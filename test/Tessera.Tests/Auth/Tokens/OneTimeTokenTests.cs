namespace Tessera.Tests.Auth.Tokens;

/// <summary>One-time tokens (Atila's encode_ott / decode_ott / revoke_ott) on the memory store and on a real SQLite file.</summary>
public sealed class OneTimeTokenTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tessera-ott-");
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    private Task<TesseraTestHost> StartAsync(string database) =>
        AuthHosts.StartAsync(
            o => o.Configuration["Tessera:Storage:DbConnection"] = $"Data Source={Path.Combine(_directory.FullName, "t.db")}",
            database,
            t => t.Services.AddSingleton<TimeProvider>(_time));

    [Theory]
    [InlineData("Memory")]
    [InlineData("Sqlite")]
    public async Task AToken_IsSpentOnce_ForItsPurposeOnly(string database)
    {
        await using var host = await StartAsync(database);
        var tokens = host.Services.GetRequiredService<ITokenService>();
        var token = tokens.Issue("password-reset", "ada", TimeSpan.FromMinutes(30));

        Assert.Null(await tokens.VerifyAsync(token, "email-verification"));
        Assert.Equal("ada", await tokens.VerifyAsync(token, "password-reset"));
        Assert.Equal("ada", await tokens.SpendAsync(token, "password-reset"));
        Assert.Null(await tokens.SpendAsync(token, "password-reset"));
        Assert.Null(await tokens.VerifyAsync(token, "password-reset"));
    }

    [Fact]
    public async Task AToken_Expires()
    {
        await using var host = await StartAsync("Memory");
        var tokens = host.Services.GetRequiredService<ITokenService>();
        var token = tokens.Issue("login-link", "ada", TimeSpan.FromMinutes(10));

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await tokens.VerifyAsync(token, "login-link"));
        Assert.Null(await tokens.SpendAsync(token, "login-link"));
    }

    [Fact]
    public async Task ARevokedToken_IsWorthless_AndGarbageIsNotAToken()
    {
        await using var host = await StartAsync("Memory");
        var tokens = host.Services.GetRequiredService<ITokenService>();
        var token = tokens.Issue("invite", "bob", TimeSpan.FromDays(1));
        var other = tokens.Issue("invite", "bob", TimeSpan.FromDays(1));

        Assert.True(await tokens.RevokeAsync(token));
        Assert.Null(await tokens.VerifyAsync(token, "invite"));
        Assert.Equal("bob", await tokens.VerifyAsync(other, "invite"));
        Assert.False(await tokens.RevokeAsync("not a token"));
        Assert.Null(await tokens.VerifyAsync(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1], "invite"));
        Assert.Null(await tokens.VerifyAsync("", "invite"));
    }

    [Theory]
    [InlineData("Memory")]
    [InlineData("Sqlite")]
    public async Task ConcurrentSpends_OfOneToken_HaveExactlyOneWinner_OverManyRounds(string database)
    {
        await using var host = await StartAsync(database);
        var tokens = host.Services.GetRequiredService<ITokenService>();

        for (var round = 0; round < 30; round++)
        {
            var token = tokens.Issue("reset", $"user{round}", TimeSpan.FromMinutes(5));
            var spends = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => tokens.SpendAsync(token, "reset"))))
                .WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Single(spends, subject => subject is not null);
        }
    }
}
