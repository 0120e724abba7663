using Tessera.Stores;

namespace Tessera.Tests.Auth.Accounts;

public sealed class AccountMethodsTests
{
    private const string Password = AuthHosts.Password;

    [Fact]
    public async Task Create_SignsInAndAnswersLikeLogin()
    {
        await using var host = await AuthHosts.StartAsync();

        var response = await host.Toto.CreateAccountAsync("ada", Password);

        var result = response.Result;
        Assert.Equal("ada", result.GetProperty("user_id").GetString());
        Assert.Matches("^[A-Za-z0-9_-]{22}$", result.GetProperty("session_id").GetString());
        Assert.True(result.GetProperty("expires").GetDouble() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.False(result.TryGetProperty("key", out _));
        Assert.Equal("ada", (await host.Toto.CallAsync("secure.who_am_i")).Result.GetString());
    }

    [Fact]
    public async Task Create_LowerCasesTheUserId()
    {
        await using var host = await AuthHosts.StartAsync();

        var created = await host.Toto.CreateAccountAsync("  Ada.Lovelace ", Password);
        var login = await host.Toto.Fresh().LoginAsync("ADA.LOVELACE", Password);

        Assert.Equal("ada.lovelace", created.Result.GetProperty("user_id").GetString());
        Assert.Equal("ada.lovelace", login.Result.GetProperty("user_id").GetString());
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("   ", "must not be empty")]
    [InlineData("bad\u0001id", "control or invisible characters")]
    [InlineData("zero\u200bwidth", "control or invisible characters")]
    [InlineData("<script>alert(1)</script> x", "may only contain letters, digits")]
    [InlineData("two words", "may only contain letters, digits")]
    [InlineData(".dot-first", "starting with a letter or digit")]
    public async Task Create_EmptyOrInvalidUserId_Answers1010_SayingWhy(string userId, string why)
    {
        await using var host = await AuthHosts.StartAsync();

        var response = await host.Toto.CreateAccountAsync(userId, Password);
        var login = await host.Toto.Fresh().LoginAsync(userId, Password);

        Assert.Equal(1010, response.ErrorCode);
        Assert.StartsWith("Invalid user ID: ", response.ErrorValue.GetString());
        Assert.Contains(why, response.ErrorValue.GetString());
        Assert.Equal(1005, login.ErrorCode);
    }

    [Fact]
    public async Task Create_TakenUserId_Answers1006()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password);

        var response = await host.Toto.Fresh().CreateAccountAsync("ADA", "another password");

        Assert.Equal(1006, response.ErrorCode);
        Assert.Equal("User ID already in use.", response.ErrorValue.GetString());
    }

    [Fact]
    public async Task Create_EmptyPassword_Answers1003()
    {
        await using var host = await AuthHosts.StartAsync();

        Assert.Equal(1003, (await host.Toto.CreateAccountAsync("ada", "")).ErrorCode);
    }

    [Fact]
    public async Task Create_ExtraFields_AreStoredAndReadableFromCSharp()
    {
        await using var host = await AuthHosts.StartAsync();

        await host.Toto.CreateAccountAsync("ada", Password, new { nickname = "countess", age = 36 });

        Assert.Equal("countess", (await host.Toto.CallAsync("secure.nickname")).Result.GetString());
        var account = await host.Services.GetRequiredService<AccountService>().FindAsync("ada");
        Assert.Equal(36, account!.Field<int>("age"));
        Assert.False(account.Fields.ContainsKey("password"));
        Assert.False(account.Fields.ContainsKey("user_id"));
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownUser_Answer1005WithTheSameMessage()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password);

        var wrongPassword = await host.Toto.Fresh().LoginAsync("ada", "wrong");
        var unknownUser = await host.Toto.Fresh().LoginAsync("nobody", Password);

        Assert.Equal(1005, wrongPassword.ErrorCode);
        Assert.Equal(1005, unknownUser.ErrorCode);
        Assert.Equal("Invalid user ID or password", wrongPassword.ErrorValue.GetString());
        Assert.Equal(wrongPassword.Body, unknownUser.Body);
    }

    [Fact]
    public async Task Login_GivesANewSessionEveryTimeAndEndsThePresentedOne()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password);
        var first = host.Toto.SessionId!;

        var second = (await host.Toto.LoginAsync("ada", Password)).Result.GetProperty("session_id").GetString();

        Assert.NotEqual(first, second);
        var stale = host.Toto.Fresh();
        stale.SessionId = first;
        Assert.Equal(1004, (await stale.CallAsync("secure.who_am_i")).ErrorCode);
    }

    [Fact]
    public async Task Login_ImportedTotoHash_VerifiesAndIsReplacedWithAStrongHash()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Services.GetRequiredService<AccountService>().ImportAsync("Legacy", "$p5k2$$abcdefgh$L8MZCZzClh0bqBWcllYPSIxVg1IbUrwT");

        var login = await host.Toto.LoginAsync("legacy", "test");

        Assert.Null(login.ErrorCode);
        var stored = await host.Services.GetRequiredService<IAccountStore>().FindAsync("legacy", default);
        Assert.StartsWith("$pbkdf2-sha512$210000$", stored!.PasswordHash);
        Assert.Null((await host.Toto.Fresh().LoginAsync("legacy", "test")).ErrorCode);
    }

    [Fact]
    public async Task Logout_EndsTheSessionOnTheServer_ThenReuseAnswers1004()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password);

        var logout = await host.Toto.CallAsync("account.logout");
        var reuse = await host.Toto.CallAsync("secure.who_am_i");

        Assert.Equal("""{"result":{"authenticated":false}}""", logout.Body);
        Assert.Equal(1004, reuse.ErrorCode);
        Assert.Equal("Not authorized", reuse.ErrorValue.GetString());
    }

    [Fact]
    public async Task Logout_WithoutSession_Answers1004()
    {
        await using var host = await AuthHosts.StartAsync();

        Assert.Equal(1004, (await host.Toto.CallAsync("account.logout")).ErrorCode);
    }

    [Fact]
    public async Task Update_Fields_AnswersUpdatedFieldsAndStoresThem()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password, new { nickname = "countess" });

        var response = await host.Toto.CallAsync("account.update", new { password = Password, nickname = "enchantress", city = "London" });

        Assert.Equal(["city", "nickname"], response.Result.GetProperty("updated_fields").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("enchantress", (await host.Toto.CallAsync("secure.nickname")).Result.GetString());
    }

    [Fact]
    public async Task Update_WrongCurrentPassword_Answers1005AndChangesNothing()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password, new { nickname = "countess" });

        var response = await host.Toto.CallAsync("account.update", new { password = "wrong", nickname = "x", new_password = "y" });

        Assert.Equal(1005, response.ErrorCode);
        Assert.Equal("countess", (await host.Toto.CallAsync("secure.nickname")).Result.GetString());
        Assert.Null((await host.Toto.Fresh().LoginAsync("ada", Password)).ErrorCode);
    }

    [Fact]
    public async Task Update_NewPassword_EndsEverySessionAndSignsThisClientInAfresh()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password);
        var other = host.Toto.Fresh();
        await other.LoginAsync("ada", Password);
        var before = host.Toto.SessionId;

        var response = await host.Toto.CallAsync("account.update", new { password = Password, new_password = "a new one" });

        var result = response.Result;
        Assert.Equal(["password"], result.GetProperty("updated_fields").EnumerateArray().Select(e => e.GetString()));
        var fresh = result.GetProperty("session_id").GetString();
        Assert.NotEqual(before, fresh);
        Assert.Equal(1004, (await other.CallAsync("secure.who_am_i")).ErrorCode);
        host.Toto.SessionId = fresh;
        Assert.Equal("ada", (await host.Toto.CallAsync("secure.who_am_i")).Result.GetString());
        Assert.Equal(1005, (await host.Toto.Fresh().LoginAsync("ada", Password)).ErrorCode);
        Assert.Null((await host.Toto.Fresh().LoginAsync("ada", "a new one")).ErrorCode);
    }

    [Fact]
    public async Task Update_WithoutSession_Answers1004()
    {
        await using var host = await AuthHosts.StartAsync();

        Assert.Equal(1004, (await host.Toto.CallAsync("account.update", new { password = Password })).ErrorCode);
    }

    [Fact]
    public async Task EndAllSessions_SignsTheUserOutEverywhere()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password);
        var other = host.Toto.Fresh();
        await other.LoginAsync("ada", Password);

        var ended = await host.Services.GetRequiredService<AccountService>().EndAllSessionsAsync("ADA");

        Assert.Equal(2, ended);
        Assert.Equal(1004, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
        Assert.Equal(1004, (await other.CallAsync("secure.who_am_i")).ErrorCode);
    }
}
