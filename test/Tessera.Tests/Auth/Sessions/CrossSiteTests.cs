using System.Net.Http.Json;
using System.Text;

namespace Tessera.Tests.Auth.Sessions;

/// <summary>
/// Cross-site request forgery: a call that uses the session cookie must come from the service's own pages, an origin
/// listed in <c>cors_origin</c>, or carry the antiforgery token; header sessions and non-browser clients are exempt.
/// Browsers' own headers are set by hand here; ChatBrowserTests does it with a real Chromium.
/// </summary>
public sealed class CrossSiteTests
{
    private const string Evil = "http://evil.example";

    private static Task<TesseraTestHost> StartAsync(string? corsOrigin = null) =>
        AuthHosts.StartAsync(o =>
        {
            o.Configuration["Tessera:Sessions:UseCookies"] = "true";
            if (corsOrigin is not null)
            {
                o.Configuration["Tessera:CorsOrigin"] = corsOrigin;
            }
        });

    public static TheoryData<string, string?> ForgedHeaders => new()
    {
        { "cross-site", Evil },
        { "same-site", "http://sibling.127.0.0.1.example" },
        { "", Evil },
        { "", "null" },
    };

    [Theory]
    [MemberData(nameof(ForgedHeaders))]
    public async Task CookieCall_FromAnotherOrigin_IsRefused_AndChangesNothing(string fetchSite, string? origin)
    {
        await using var host = await StartAsync();
        var session = await SignUpAsync(host);

        var forged = await CallAsync(host, "secure.put", new { key = "balance", value = 1 }, cookie: session, fetchSite: fetchSite, origin: origin);
        var balance = await CallAsync(host, "secure.read", new { key = "balance" }, cookie: session);

        Assert.Equal(1004, forged.ErrorCode);
        Assert.Contains("Cross-site request refused", forged.ErrorValue.GetString());
        Assert.Equal(0, balance.Result.GetInt32());
    }

    [Theory]
    [InlineData("same-origin", null)]
    [InlineData("none", null)]
    [InlineData("", null)]
    [InlineData("", "own")]
    public async Task CookieCall_FromTheServicesOwnPages_OrANonBrowser_Works(string fetchSite, string? origin)
    {
        await using var host = await StartAsync();
        var session = await SignUpAsync(host);
        var own = host.Http.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var put = await CallAsync(host, "secure.put", new { key = "balance", value = 5 }, cookie: session, fetchSite: fetchSite, origin: origin == "own" ? own : origin);

        Assert.Null(put.ErrorCode);
        Assert.Equal(5, (await CallAsync(host, "secure.read", new { key = "balance" }, cookie: session)).Result.GetInt32());
    }

    [Fact]
    public async Task CookieCall_FromAListedOrigin_Works_WithCredentialedCors()
    {
        await using var host = await StartAsync(corsOrigin: "https://app.example, *");
        var session = await SignUpAsync(host);

        var listed = await CallAsync(host, "secure.who_am_i", new { }, cookie: session, fetchSite: "cross-site", origin: "https://app.example");
        var unlisted = await CallAsync(host, "secure.who_am_i", new { }, cookie: session, fetchSite: "cross-site", origin: Evil);

        Assert.Equal("ada", listed.Result.GetString());
        Assert.Equal("https://app.example", listed.Header("Access-Control-Allow-Origin"));
        Assert.Equal("true", listed.Header("Access-Control-Allow-Credentials"));
        Assert.Equal(1004, unlisted.ErrorCode);
        Assert.Equal("*", unlisted.Header("Access-Control-Allow-Origin"));
        Assert.Null(unlisted.Header("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task AntiforgeryToken_LetsAPageCallFromElsewhere_OnlyForItsOwnSession()
    {
        await using var host = await StartAsync();
        var ada = await SignUpAsync(host);
        var bob = await SignUpAsync(host, "bob");
        var adaToken = await TokenAsync(host, ada);

        var withToken = await CallAsync(host, "secure.put", new { key = "k", value = 7 }, cookie: ada, fetchSite: "cross-site", origin: "null", token: adaToken);
        var othersToken = await CallAsync(host, "secure.put", new { key = "k", value = 8 }, cookie: bob, fetchSite: "cross-site", origin: "null", token: adaToken);
        var garbage = await CallAsync(host, "secure.put", new { key = "k", value = 9 }, cookie: ada, fetchSite: "cross-site", origin: "null", token: "not-a-token!");

        Assert.Null(withToken.ErrorCode);
        Assert.Equal(1004, othersToken.ErrorCode);
        Assert.Equal(1004, garbage.ErrorCode);
        Assert.Equal(7, (await CallAsync(host, "secure.read", new { key = "k" }, cookie: ada)).Result.GetInt32());
        Assert.Equal(0, (await CallAsync(host, "secure.read", new { key = "k" }, cookie: bob)).Result.GetInt32());
    }

    [Fact]
    public async Task AntiforgeryEndpoint_WithoutACookieSession_Is404_AndSendsNoCors()
    {
        await using var host = await StartAsync();

        using var response = await host.Http.GetAsync("_tessera/csrf");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task HeaderSession_FromAnotherOrigin_IsExempt()
    {
        await using var host = await StartAsync();
        var session = await SignUpAsync(host);

        var call = await CallAsync(host, "secure.who_am_i", new { }, header: session, fetchSite: "cross-site", origin: Evil);

        Assert.Equal("ada", call.Result.GetString());
    }

    [Fact]
    public async Task ForgedLogin_DoesNotPutTheAttackersSessionIntoTheCookie()
    {
        await using var host = await StartAsync();
        await SignUpAsync(host, "mallory");

        var forged = await CallAsync(host, "account.login", new { user_id = "mallory", password = AuthHosts.Password }, fetchSite: "cross-site", origin: Evil);
        var own = await CallAsync(host, "account.login", new { user_id = "mallory", password = AuthHosts.Password }, fetchSite: "same-origin");

        Assert.Null(forged.ErrorCode);
        Assert.False(forged.Headers.Contains("Set-Cookie"));
        Assert.True(own.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task ApiTokenCookie_FromAnotherOrigin_IsRefused_ButTheHeaderIsNot()
    {
        const string token = "cross-site-token-1";
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        await using var host = await AuthHosts.StartAsync(o => o.Configuration["Tessera:Security:ApiTokenHashes"] = hash);

        using var byCookie = Request("secure.private", new { }, fetchSite: "cross-site", origin: Evil);
        byCookie.Headers.Add("Cookie", $"AuthToken={token}");
        using var byHeader = Request("secure.private", new { }, fetchSite: "cross-site", origin: Evil);
        byHeader.Headers.Add("X-Api-Token", token);
        using var ownCookie = Request("secure.private", new { }, fetchSite: "same-origin", origin: null);
        ownCookie.Headers.Add("Cookie", $"AuthToken={token}");

        Assert.Equal(1004, (await host.Toto.Fresh().SendAsync(byCookie)).ErrorCode);
        Assert.Equal("private", (await host.Toto.Fresh().SendAsync(byHeader)).Result.GetString());
        Assert.Equal("private", (await host.Toto.Fresh().SendAsync(ownCookie)).Result.GetString());
    }

    private static async Task<string> SignUpAsync(TesseraTestHost host, string userId = "ada") =>
        (await host.Toto.Fresh().CreateAccountAsync(userId, AuthHosts.Password)).Result.GetProperty("session_id").GetString()!;

    private static async Task<string> TokenAsync(TesseraTestHost host, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "_tessera/csrf");
        request.Headers.Add("Cookie", $"toto-session-id={session}");
        using var response = await host.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["csrf_token"];
    }

    private static Task<TotoResponse> CallAsync(
        TesseraTestHost host, string method, object parameters, string? cookie = null, string? header = null,
        string fetchSite = "", string? origin = null, string? token = null)
    {
        var request = Request(method, parameters, fetchSite, origin);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"toto-session-id={cookie}");
        }

        if (header is not null)
        {
            request.Headers.Add("x-toto-session-id", header);
        }

        if (token is not null)
        {
            request.Headers.Add("X-CSRF-Token", token);
        }

        return host.Toto.Fresh().SendAsync(request);
    }

    private static HttpRequestMessage Request(string method, object parameters, string fetchSite, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = JsonContent.Create(new { method, parameters }) };
        if (fetchSite.Length > 0)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }
}
