namespace Tessera.Tests.Auth.Accounts;

/// <summary>
/// Password reset and address verification through real Kestrel, with mail delivered by MailKit to a local SMTP sink
/// the test starts: the link works once, the answer does not reveal whether an account exists, and a reset ends every
/// session.
/// </summary>
public sealed class PasswordResetTests : IAsyncDisposable
{
    private const string NewPassword = "a-brand-new-password-2";
    private readonly SmtpSink _smtp = new();

    public ValueTask DisposeAsync() => _smtp.DisposeAsync();

    private Task<TesseraTestHost> StartAsync(string link = "https://app.example/reset#token={token}") =>
        AuthHosts.StartAsync(
            o =>
            {
                o.UseKestrel = true;
                o.Configuration["Tessera:Mail:SmtpHost"] = "127.0.0.1";
                o.Configuration["Tessera:Mail:SmtpPort"] = _smtp.Port.ToString();
                o.Configuration["Tessera:Mail:MailFrom"] = "Tessera <no-reply@example.com>";
                o.Configuration["Tessera:Mail:PasswordResetLink"] = link;
                o.Configuration["Tessera:Mail:VerificationLink"] = "https://app.example/verify?token={token}";
            },
            configure: t => t.AddSmtpMail());

    [Fact]
    public async Task AResetLink_SetsTheNewPasswordOnce_AndEndsEverySession()
    {
        await using var host = await StartAsync();
        var session = (await host.Toto.CreateAccountAsync("ada@example.com", AuthHosts.Password)).Result.GetProperty("session_id").GetString();

        var requested = await host.Toto.Fresh().CallAsync("account.request_password_reset", new { user_id = "ada@example.com" });
        var mail = await _smtp.NextAsync();
        var token = mail.Token();
        var reset = await host.Toto.Fresh().CallAsync("account.reset_password", new { token, password = NewPassword });
        var again = await host.Toto.Fresh().CallAsync("account.reset_password", new { token, password = "yet-another-password-3" });
        var oldSession = host.Toto.Fresh();
        oldSession.SessionId = session;

        Assert.True(requested.Result.GetProperty("requested").GetBoolean());
        Assert.Equal(["ada@example.com"], mail.To);
        Assert.Equal("Reset your password", mail.Message.Subject);
        Assert.Contains("https://app.example/reset#token=", mail.Message.TextBody);
        Assert.Equal("ada@example.com", reset.Result.GetProperty("user_id").GetString());
        Assert.Equal(1004, again.ErrorCode);
        Assert.Contains("invalid, expired or already used", again.ErrorValue.GetString());
        Assert.Equal(1004, (await oldSession.CallAsync("secure.who_am_i")).ErrorCode);
        Assert.Equal(1005, (await host.Toto.Fresh().LoginAsync("ada@example.com", AuthHosts.Password)).ErrorCode);
        Assert.Null((await host.Toto.Fresh().LoginAsync("ada@example.com", NewPassword)).ErrorCode);
    }

    [Fact]
    public async Task UnknownAccounts_GetTheSameAnswer_AndNoMail()
    {
        await using var host = await StartAsync();

        var answer = await host.Toto.CallAsync("account.request_password_reset", new { user_id = "nobody@example.com" });

        Assert.Equal("""{"result":{"requested":true}}""", answer.Body);
        Assert.False(await _smtp.AnyWithinAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task ARefusedPassword_DoesNotBurnTheLink_AndAChangedPasswordKillsIt()
    {
        await using var host = await StartAsync(link: "");
        await host.Toto.CreateAccountAsync("bob", AuthHosts.Password, new { email = "bob@example.com" });

        await host.Toto.Fresh().CallAsync("account.request_password_reset", new { user_id = "bob" });
        var mail = await _smtp.NextAsync();
        var token = mail.Token();
        var tooShort = await host.Toto.Fresh().CallAsync("account.reset_password", new { token, password = "short" });
        var client = host.Toto.Fresh();
        await client.LoginAsync("bob", AuthHosts.Password);
        await client.CallAsync("account.update", new { password = AuthHosts.Password, new_password = NewPassword });
        var afterChange = await host.Toto.Fresh().CallAsync("account.reset_password", new { token, password = "the-attackers-choice-4" });

        Assert.Equal(["bob@example.com"], mail.To);
        Assert.Contains("Your code:", mail.Message.TextBody);
        Assert.Equal(1003, tooShort.ErrorCode);
        Assert.Equal(1004, afterChange.ErrorCode);
        Assert.Null((await host.Toto.Fresh().LoginAsync("bob", NewPassword)).ErrorCode);
    }

    [Fact]
    public async Task ResetRequests_SendAtMostOneMailAMinute()
    {
        await using var host = await StartAsync();
        await host.Toto.CreateAccountAsync("ada@example.com", AuthHosts.Password);

        for (var i = 0; i < 5; i++)
        {
            await host.Toto.Fresh().CallAsync("account.request_password_reset", new { user_id = "ada@example.com" });
        }

        await _smtp.NextAsync();
        Assert.False(await _smtp.AnyWithinAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task AVerificationLink_MarksTheAddressVerified_Once()
    {
        await using var host = await StartAsync();
        var client = host.Toto.Fresh();
        client.SessionId = (await client.CreateAccountAsync("eve@example.com", AuthHosts.Password)).Result.GetProperty("session_id").GetString();

        await client.CallAsync("account.request_email_verification");
        var token = (await _smtp.NextAsync()).Token();
        var verified = await host.Toto.Fresh().CallAsync("account.verify_email", new { token });
        var again = await host.Toto.Fresh().CallAsync("account.verify_email", new { token });
        var account = await host.Services.GetRequiredService<AccountService>().FindAsync("eve@example.com");

        Assert.Equal("eve@example.com", verified.Result.GetProperty("email").GetString());
        Assert.Equal(1004, again.ErrorCode);
        Assert.Equal("eve@example.com", account!.Field<string>("email_verified"));
    }

    [Theory]
    [InlineData("email_verified")]
    [InlineData("_tessera_totp")]
    public async Task ServerKeptFields_CannotBeSetByClients(string field)
    {
        await using var host = await StartAsync();
        var client = host.Toto.Fresh();
        var created = await client.CallAsync("account.create", new Dictionary<string, object> { ["user_id"] = "mallory", ["password"] = AuthHosts.Password, [field] = "x" });
        await client.CreateAccountAsync("mallory", AuthHosts.Password);
        var updated = await client.CallAsync("account.update", new Dictionary<string, object> { ["password"] = AuthHosts.Password, [field] = "x" });

        Assert.Equal(1003, created.ErrorCode);
        Assert.Equal(1003, updated.ErrorCode);
        Assert.Contains("set by the server", updated.ErrorValue.GetString());
    }

    [Fact]
    public async Task SmtpHostWithoutASenderOrFromAddress_StopsStartUp_SayingWhatToDo()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(o => o.Configuration["Tessera:Mail:SmtpHost"] = "127.0.0.1"));

        Assert.Contains("--mail_from needs a sender address", failure.Message);
        Assert.Contains("call AddSmtpMail()", failure.Message);
    }
}
