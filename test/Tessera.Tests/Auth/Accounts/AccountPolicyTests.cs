namespace Tessera.Tests.Auth.Accounts;

/// <summary>What new user ids and passwords must be, through the account methods on a real host.</summary>
public sealed class AccountPolicyTests
{
    [Theory]
    [InlineData("x", "must be at least 8 characters")]
    [InlineData("seven77", "must be at least 8 characters")]
    [InlineData("", "must not be empty")]
    public async Task ShortPassword_Answers1003_AndCreatesNothing(string password, string why)
    {
        await using var host = await AuthHosts.StartAsync();

        var created = await host.Toto.CreateAccountAsync("ada", password);
        var retry = await host.Toto.Fresh().CreateAccountAsync("ada", AuthHosts.Password);

        Assert.Equal(1003, created.ErrorCode);
        Assert.Contains($"'password' {why}", created.ErrorValue.GetString());
        Assert.Null(created.Session);
        Assert.Null(retry.ErrorCode);
    }

    [Fact]
    public async Task PasswordLimits_CountCharactersNotBytes_AndHaveAConfigurableMaximum()
    {
        await using var host = await AuthHosts.StartAsync(o => o.Configuration["Tessera:Security:PasswordMaxLength"] = "64");

        var eightEmoji = await host.Toto.CreateAccountAsync("ada", string.Concat(Enumerable.Repeat("\ud83d\udd11", 8)));
        var tooLong = await host.Toto.Fresh().CreateAccountAsync("bob", new string('p', 65));
        var longest = await host.Toto.Fresh().CreateAccountAsync("bob", new string('p', 64));

        Assert.Null(eightEmoji.ErrorCode);
        Assert.Equal(1003, tooLong.ErrorCode);
        Assert.Contains("at most 64 characters", tooLong.ErrorValue.GetString());
        Assert.Null(longest.ErrorCode);
    }

    [Fact]
    public async Task NewPassword_OnUpdate_FollowsTheSamePolicy_AndTheOldOneStillWorks()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);

        var update = await host.Toto.CallAsync("account.update", new { password = AuthHosts.Password, new_password = "short" });
        var login = await host.Toto.Fresh().LoginAsync("ada", AuthHosts.Password);

        Assert.Equal(1003, update.ErrorCode);
        Assert.Contains("'new_password' must be at least 8 characters", update.ErrorValue.GetString());
        Assert.Null(login.ErrorCode);
    }

    [Fact]
    public async Task PasswordRules_RegisteredInServices_AreApplied()
    {
        await using var host = await TesseraTestHost.StartAsync(t =>
        {
            t.AddAccounts();
            t.Services.AddSingleton<IPasswordRule, NotTheUserId>();
        });

        var refused = await host.Toto.CreateAccountAsync("ada.lovelace", "ada.lovelace");

        Assert.Equal(1003, refused.ErrorCode);
        Assert.Contains("'password' must not be the user id", refused.ErrorValue.GetString());
    }

    [Theory]
    [InlineData("eve@example.com", null)]
    [InlineData("eve", "must be an e-mail address")]
    [InlineData("eve@localhost", "must be an e-mail address")]
    [InlineData("Eve <eve@example.com>", "must be an e-mail address")]
    public async Task UserIdIsEmail_RequiresAnAddress(string userId, string? why)
    {
        await using var host = await AuthHosts.StartAsync(o => o.Configuration["Tessera:Security:UserIdIsEmail"] = "true");

        var created = await host.Toto.CreateAccountAsync(userId, AuthHosts.Password);

        Assert.Equal(why is null ? null : 1010, created.ErrorCode);
        if (why is not null)
        {
            Assert.Contains(why, created.ErrorValue.GetString());
        }
    }

    [Fact]
    public async Task UserIds_AreTrimmedAndLengthLimited()
    {
        await using var host = await AuthHosts.StartAsync(o => o.Configuration["Tessera:Security:UserIdMaxLength"] = "10");

        var trimmed = await host.Toto.CreateAccountAsync("  Ada.L  ", AuthHosts.Password);
        var tooLong = await host.Toto.Fresh().CreateAccountAsync("abcdefghijk", AuthHosts.Password);

        Assert.Equal("ada.l", trimmed.Result.GetProperty("user_id").GetString());
        Assert.Equal(1010, tooLong.ErrorCode);
        Assert.Contains("at most 10 characters", tooLong.ErrorValue.GetString());
    }

    [Theory]
    [InlineData("Tessera:Security:PasswordMinLength", "0", "password_min_length")]
    [InlineData("Tessera:Security:PasswordMaxLength", "20", "password_max_length")]
    [InlineData("Tessera:Security:UserIdPattern", "([", "user_id_pattern")]
    public async Task ImpossiblePolicies_StopStartUp(string key, string value, string named)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(o => o.Configuration[key] = value));

        Assert.Contains(named, failure.Message);
    }

    private sealed class NotTheUserId : IPasswordRule
    {
        public string? Check(string password, string userId) =>
            string.Equals(password.Trim(), userId, StringComparison.OrdinalIgnoreCase) ? "must not be the user id" : null;
    }
}
