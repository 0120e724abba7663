using OtpNet;

namespace Tessera.Tests.Auth.Accounts;

/// <summary>Two-factor sign-in with TOTP through real Kestrel; codes are computed as an authenticator app would, with Otp.NET.</summary>
public sealed class TwoFactorTests
{
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);

    private Task<TesseraTestHost> StartAsync() =>
        AuthHosts.StartAsync(
            o =>
            {
                o.UseKestrel = true;
                o.Configuration["Tessera:Security:TotpIssuer"] = "Example Notes";
            },
            configure: t => t.Services.AddSingleton<TimeProvider>(_time));

    private string CodeNow(string secret) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(_time.GetUtcNow().UtcDateTime);

    private async Task<(TotoTestClient Client, string Secret, IReadOnlyList<string> RecoveryCodes)> EnableAsync(TesseraTestHost host)
    {
        var client = host.Toto.Fresh();
        client.SessionId = (await client.CreateAccountAsync("ada", AuthHosts.Password)).Result.GetProperty("session_id").GetString();
        var setup = (await client.CallAsync("account.totp_setup")).Result;
        var secret = setup.GetProperty("secret").GetString()!;
        var enabled = await client.CallAsync("account.totp_enable", new { code = CodeNow(secret) });
        var codes = enabled.Result.GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        return (client, secret, codes);
    }

    [Fact]
    public async Task Setup_AnswersASecretAndAnOtpauthUri_ForAuthenticatorApps()
    {
        await using var host = await StartAsync();
        var client = host.Toto.Fresh();
        client.SessionId = (await client.CreateAccountAsync("ada.lovelace", AuthHosts.Password)).Result.GetProperty("session_id").GetString();

        var setup = (await client.CallAsync("account.totp_setup")).Result;
        var secret = setup.GetProperty("secret").GetString()!;

        Assert.Equal(20, Base32Encoding.ToBytes(secret).Length);
        Assert.Equal(
            $"otpauth://totp/Example%20Notes:ada.lovelace?secret={secret}&issuer=Example%20Notes&algorithm=SHA1&digits=6&period=30",
            setup.GetProperty("uri").GetString());
        Assert.Equal(1004, (await host.Toto.Fresh().CallAsync("account.totp_setup")).ErrorCode);
    }

    [Fact]
    public async Task OnceOn_SignInNeedsTheSecondFactor_1015_AndACodeWorksOnce()
    {
        await using var host = await StartAsync();
        var (_, secret, codes) = await EnableAsync(host);
        _time.Advance(TimeSpan.FromSeconds(30));
        var code = CodeNow(secret);

        var missing = await host.Toto.Fresh().LoginAsync("ada", AuthHosts.Password);
        var withCode = await host.Toto.Fresh().CallAsync("account.login", new { user_id = "ada", password = AuthHosts.Password, totp = code });
        var replayed = await host.Toto.Fresh().CallAsync("account.login", new { user_id = "ada", password = AuthHosts.Password, totp = code });
        var wrongPassword = await host.Toto.Fresh().CallAsync("account.login", new { user_id = "ada", password = "wrong-password-9", totp = CodeNow(secret) });

        Assert.Equal(10, codes.Count);
        Assert.Equal(1015, missing.ErrorCode);
        Assert.Contains("Second factor required", missing.ErrorValue.GetString());
        Assert.Null(missing.Session);
        Assert.Null(withCode.ErrorCode);
        Assert.Equal(1005, replayed.ErrorCode);
        Assert.Null(replayed.Session);
        Assert.Equal(1005, wrongPassword.ErrorCode);
    }

    [Fact]
    public async Task ARecoveryCode_WorksOnce_AndOthersStillWork()
    {
        await using var host = await StartAsync();
        var (_, _, codes) = await EnableAsync(host);

        var first = await host.Toto.Fresh().CallAsync("account.login", new { user_id = "ada", password = AuthHosts.Password, totp = codes[0].ToUpperInvariant() });
        var again = await host.Toto.Fresh().CallAsync("account.login", new { user_id = "ada", password = AuthHosts.Password, totp = codes[0] });
        var second = await host.Toto.Fresh().CallAsync("account.login", new { user_id = "ada", password = AuthHosts.Password, totp = codes[1] });

        Assert.Null(first.ErrorCode);
        Assert.Equal(1005, again.ErrorCode);
        Assert.Null(second.ErrorCode);
    }

    [Fact]
    public async Task GuessingTheSixDigits_IsThrottledLikePasswords()
    {
        await using var host = await StartAsync();
        await EnableAsync(host);

        var answers = new List<int?>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add((await host.Toto.Fresh().CallAsync("account.login", new { user_id = "ada", password = AuthHosts.Password, totp = $"{i:000000}" })).ErrorCode);
        }

        Assert.Equal([1005, 1005, 1005, 1005, 1005, 1014], answers);
    }

    [Fact]
    public async Task Enabling_NeedsACodeOfTheSecret_AndDisablingNeedsACode()
    {
        await using var host = await StartAsync();
        var client = host.Toto.Fresh();
        client.SessionId = (await client.CreateAccountAsync("ada", AuthHosts.Password)).Result.GetProperty("session_id").GetString();
        var secret = (await client.CallAsync("account.totp_setup")).Result.GetProperty("secret").GetString()!;

        var wrong = await client.CallAsync("account.totp_enable", new { code = "000000" == CodeNow(secret) ? "111111" : "000000" });
        await client.CallAsync("account.totp_enable", new { code = CodeNow(secret) });
        var badDisable = await client.CallAsync("account.totp_disable", new { code = "not-a-code" });
        _time.Advance(TimeSpan.FromSeconds(30));
        var disabled = await client.CallAsync("account.totp_disable", new { code = CodeNow(secret) });
        var login = await host.Toto.Fresh().LoginAsync("ada", AuthHosts.Password);

        Assert.Equal(1003, wrong.ErrorCode);
        Assert.Equal(1003, badDisable.ErrorCode);
        Assert.False(disabled.Result.GetProperty("enabled").GetBoolean());
        Assert.Null(login.ErrorCode);
    }
}
