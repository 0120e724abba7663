using System.Security.Cryptography;
using System.Text;

namespace Tessera.Tests.Auth;

public sealed class CallAuthorizerTests
{
    private const string Password = AuthHosts.Password;
    private const string Token = "gemstone-private-token";

    private static string TokenHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token)));

    [Fact]
    public async Task Authenticated_WithoutSession_Answers1004()
    {
        await using var host = await AuthHosts.StartAsync();

        var response = await host.Toto.CallAsync("secure.who_am_i");

        Assert.Equal("""{"error":{"code":1004,"value":"Not authorized"}}""", response.Body);
    }

    [Fact]
    public async Task Authenticated_IsCheckedBeforeParameters()
    {
        await using var host = await AuthHosts.StartAsync();

        Assert.Equal(1004, (await host.Toto.CallAsync("secure.put")).ErrorCode);
    }

    [Fact]
    public async Task OptionallyAuthenticated_RunsWithOrWithoutAUser()
    {
        await using var host = await AuthHosts.StartAsync();

        var anonymous = await host.Toto.CallAsync("secure.maybe");
        await host.Toto.CreateAccountAsync("ada", Password);
        var signedIn = await host.Toto.CallAsync("secure.maybe");

        Assert.Equal("nobody", anonymous.Result.GetString());
        Assert.Equal("ada", signedIn.Result.GetString());
    }

    [Fact]
    public async Task RequiresRole_ChecksTheAccountsRoles()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", Password);
        var accounts = host.Services.GetRequiredService<AccountService>();

        var before = await host.Toto.CallAsync("secure.staff_only");
        await accounts.SetRolesAsync("ada", ["staff"]);
        var after = await host.Toto.CallAsync("secure.staff_only");
        var neither = await host.Toto.CallAsync("secure.admin_or_owner");
        await accounts.SetRolesAsync("ada", ["owner"]);
        var owner = await host.Toto.CallAsync("secure.admin_or_owner");
        var revoked = await host.Toto.CallAsync("secure.staff_only");

        Assert.Equal(1004, before.ErrorCode);
        Assert.Equal("staff", after.Result.GetString());
        Assert.Equal(1004, neither.ErrorCode);
        Assert.Equal("ok", owner.Result.GetString());
        Assert.Equal(1004, revoked.ErrorCode);
    }

    [Fact]
    public async Task AuthorizePolicy_IsEvaluatedByAspNetCore()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("young", Password, new { age = 12 });
        var young = await host.Toto.CallAsync("secure.adults_only");
        await host.Toto.Fresh().CreateAccountAsync("adult", Password, new { age = 40 });
        await host.Toto.LoginAsync("adult", Password);
        var adult = await host.Toto.CallAsync("secure.adults_only");

        Assert.Equal(1004, young.ErrorCode);
        Assert.Equal("adult", adult.Result.GetString());
    }

    [Fact]
    public async Task AuthorizePolicy_WithoutAuthorizationRegistered_StopsStartUp_SayingHow()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TesseraTestHost.StartAsync(t => t.AddAccounts().Methods.AddType<Secure>()));

        Assert.Contains("[Authorize(Policy = \"adults\")] needs ASP.NET Core authorization", failure.Message);
        Assert.Contains("AddAuthorization(o => o.AddPolicy(\"adults\"", failure.Message);
    }

    [Fact]
    public async Task AuthorizePolicy_ThatIsNotDefined_StopsStartUp_NamingIt()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TesseraTestHost.StartAsync(t =>
        {
            t.AddAccounts().Methods.AddType<Secure>();
            t.Services.AddAuthorization(o => o.AddPolicy("staff", p => p.RequireAuthenticatedUser()));
        }));

        Assert.Contains("[Authorize(Policy = \"adults\")] names no policy", failure.Message);
    }

    [Fact]
    public async Task Accounts_RegisterNoAspNetCoreAuthorization_SoNoAuthorizationMiddlewareRunsPerRequest()
    {
        await using var host = await TesseraTestHost.StartAsync(t => t.AddAccounts());

        Assert.Null(host.Services.GetService<Microsoft.AspNetCore.Authorization.IAuthorizationHandlerProvider>());
    }

    [Fact]
    public async Task ApiToken_FromHeaderOrCookie_IsAccepted_OtherwiseAccessDenied()
    {
        await using var host = await AuthHosts.StartAsync(o => o.Configuration["Tessera:Security:ApiTokenHashes"] = TokenHash);

        var none = await host.Toto.CallAsync("secure.private");
        host.Toto.OnRequest = request => { request.Headers.Add("X-Api-Token", "wrong"); return Task.CompletedTask; };
        var wrong = await host.Toto.CallAsync("secure.private");
        host.Toto.OnRequest = request => { request.Headers.Add("X-Api-Token", Token); return Task.CompletedTask; };
        var header = await host.Toto.CallAsync("secure.private");
        host.Toto.OnRequest = request => { request.Headers.Add("Cookie", "AuthToken=" + Token); return Task.CompletedTask; };
        var cookie = await host.Toto.CallAsync("secure.private");

        Assert.Equal("""{"error":{"code":1004,"value":"Access denied"}}""", none.Body);
        Assert.Equal(1004, wrong.ErrorCode);
        Assert.Equal("private", header.Result.GetString());
        Assert.Equal("private", cookie.Result.GetString());
    }

    [Fact]
    public async Task ApiToken_WorksWithoutAccounts()
    {
        await using var host = await TesseraTestHost.StartAsync(
            t => t.Methods.Add("ping.private", [ApiToken] () => "pong"),
            o => o.Configuration["Tessera:Security:ApiTokenHashes"] = TokenHash);
        host.Toto.OnRequest = request => { request.Headers.Add("X-Api-Token", Token); return Task.CompletedTask; };

        Assert.Equal("pong", (await host.Toto.CallAsync("ping.private")).Result.GetString());
    }

    [Fact]
    public async Task ApiTokenHashes_Malformed_FailAtStartup()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => AuthHosts.StartAsync(o => o.Configuration["Tessera:Security:ApiTokenHashes"] = "plain-token"));

        Assert.Contains("api_token_hashes must list SHA-256 hashes", failure.Message);
    }

    [Fact]
    public async Task PasswordIterations_BelowTheFloor_FailAtStartup()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => AuthHosts.StartAsync(o => o.Configuration["Tessera:Security:PasswordIterations"] = "1000"));

        Assert.Contains("password_iterations must be at least 210000", failure.Message);
    }

    [Fact]
    public async Task DeletedAccount_EndsItsSessions()
    {
        await using var host = await AuthHosts.StartAsync(configure: t => t.Services.AddSingleton<Tessera.Stores.IAccountStore, ForgetfulAccountStore>());
        await host.Toto.CreateAccountAsync("ada", Password);
        ForgetfulAccountStore.Forget("ada");

        Assert.Equal(1004, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }

    private sealed class ForgetfulAccountStore : Tessera.Stores.IAccountStore
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Tessera.Stores.AccountRecord> Accounts = new();

        public static void Forget(string userId) => Accounts.TryRemove(userId, out _);

        public Task<bool> TryCreateAsync(Tessera.Stores.AccountRecord account, CancellationToken cancellationToken) =>
            Task.FromResult(Accounts.TryAdd(account.UserId, account));

        public Task<Tessera.Stores.AccountRecord?> FindAsync(string userId, CancellationToken cancellationToken) =>
            Task.FromResult(Accounts.GetValueOrDefault(userId));

        public Task UpdateAsync(Tessera.Stores.AccountRecord account, CancellationToken cancellationToken)
        {
            Accounts[account.UserId] = account;
            return Task.CompletedTask;
        }
    }
}
