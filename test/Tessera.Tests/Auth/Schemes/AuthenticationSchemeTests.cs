using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tessera.Tests.Auth.Schemes;

/// <summary>
/// ASP.NET Core authentication schemes authenticate Tessera calls when a method names them: the built-in Basic scheme
/// over real HTTPS (refused over HTTP), and a handler the application brings.
/// </summary>
public sealed class AuthenticationSchemeTests
{
    [Fact]
    public async Task Basic_OverHttps_AuthenticatesWithTheAccountsPassword()
    {
        using var certificate = SelfSigned();
        await using var host = await StartBasicOverHttpsAsync(certificate);
        using var https = Trusting(certificate, host);
        await new TotoTestClient(https).CreateAccountAsync("ada", AuthHosts.Password);

        var right = await CallAsync(https, "guarded.basic_who", Basic("ada", AuthHosts.Password));
        var wrong = await CallAsync(https, "guarded.basic_who", Basic("ada", "not-the-password"));
        var none = await CallAsync(https, "guarded.basic_who", null);

        Assert.Equal("ada", right.Result.GetString());
        Assert.Equal(1004, wrong.ErrorCode);
        Assert.Equal(1004, none.ErrorCode);
        Assert.StartsWith("https://", https.BaseAddress!.ToString());
    }

    [Fact]
    public async Task Basic_OverPlainHttp_IsRefused_EvenWithTheRightPassword()
    {
        await using var host = await AuthHosts.StartAsync(o => o.UseKestrel = true, configure: t => t.AddBasicAuthentication().Methods.AddType<Guarded>());
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);

        var answer = await CallAsync(host.Http, "guarded.basic_who", Basic("ada", AuthHosts.Password));

        Assert.Equal(1004, answer.ErrorCode);
    }

    [Fact]
    public async Task Basic_FromAnAddressWithTooManyHashesWaiting_FailsAtOnce_WithRetryAfter()
    {
        using var certificate = SelfSigned();
        await using var host = await StartBasicOverHttpsAsync(certificate, o =>
        {
            o.Configuration["Tessera:Security:MaxConcurrentHashes"] = "1";
            o.Configuration["Tessera:Security:MaxQueuedHashesPerClient"] = "1";
            o.Configuration["Tessera:Security:PasswordIterations"] = "1000000";
        });
        using var https = Trusting(certificate, host);
        await new TotoTestClient(https).CreateAccountAsync("ada", AuthHosts.Password);

        // Twelve at once: one hashes, one waits, the rest are refused. On a starved machine the twelve can arrive so far
        // apart that none finds the queue full; such a round proves nothing, and another is sent (at most five).
        for (var round = 1; ; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => CallAsync(https, "guarded.basic_who", Basic("ada", AuthHosts.Password))));

            var refused = answers.Where(a => a.ErrorCode == 1004).ToList();
            Assert.Equal(12, answers.Count(a => a.ErrorCode is null && a.Result.GetString() == "ada") + refused.Count);
            Assert.All(refused, a => Assert.True(int.Parse(a.Header("Retry-After")!) >= 1));
            if (refused.Count > 0 || round == 5)
            {
                Assert.InRange(12 - refused.Count, 2, 11);
                break;
            }
        }
    }

    [Fact]
    public async Task TheApplicationsOwnScheme_AuthenticatesCalls_WithItsRoles_AndNoTesseraAccount()
    {
        await using var host = await AuthHosts.StartAsync(
            o => o.UseKestrel = true,
            configure: t =>
            {
                t.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, PartnerKeyHandler>("PartnerKey", _ => { });
                t.Methods.AddType<Guarded>();
            });

        var partner = await CallAsync(host.Http, "guarded.partner_who", ("X-Partner-Key", "acme-key"));
        var admin = await CallAsync(host.Http, "guarded.partner_admin", ("X-Partner-Key", "acme-key"));
        var unknown = await CallAsync(host.Http, "guarded.partner_who", ("X-Partner-Key", "nope"));
        var sessionCaller = await host.Toto.Fresh().CreateAccountAsync("ada", AuthHosts.Password);
        var bySession = host.Toto.Fresh();
        bySession.SessionId = sessionCaller.Result.GetProperty("session_id").GetString();

        Assert.Equal("acme|account:none", partner.Result.GetString());
        Assert.Equal(1004, admin.ErrorCode);
        Assert.Equal(1004, unknown.ErrorCode);
        Assert.Equal(1004, (await bySession.CallAsync("guarded.partner_who")).ErrorCode);
    }

    public sealed class Guarded
    {
        [Method, Authorize(AuthenticationSchemes = "Basic")]
        public string BasicWho(MethodContext context) => context.Account!.UserId;

        [Method, Authorize(AuthenticationSchemes = "PartnerKey")]
        public string PartnerWho(MethodContext context) => $"{context.User!.Identity!.Name}|account:{context.Account?.UserId ?? "none"}";

        [Method, Authorize(AuthenticationSchemes = "PartnerKey", Roles = "admin")]
        public string PartnerAdmin() => "admin";
    }

    /// <summary>A handler an application might already have: a partner key in a header.</summary>
    public sealed class PartnerKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers["X-Partner-Key"].ToString() == "acme-key"
                ? AuthenticateResult.Success(new AuthenticationTicket(
                    new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "acme"), new Claim(ClaimTypes.Role, "partner")], Scheme.Name)),
                    Scheme.Name))
                : AuthenticateResult.NoResult());
    }

    /// <summary>A host on real HTTPS with the Basic scheme and <see cref="Guarded"/>'s methods.</summary>
    private static Task<TesseraTestHost> StartBasicOverHttpsAsync(X509Certificate2 certificate, Action<TesseraTestHostOptions>? more = null) =>
        AuthHosts.StartAsync(
            o =>
            {
                o.UseKestrel = true;
                o.ConfigureBuilder = builder => builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
                more?.Invoke(o);
            },
            configure: t => t.AddBasicAuthentication().Methods.AddType<Guarded>());

    private static (string, string) Basic(string user, string password) =>
        ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static Task<TotoResponse> CallAsync(HttpClient http, string method, (string Name, string Value)? header)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent($$"""{"method":"{{method}}"}""", Encoding.UTF8, "application/json") };
        if (header is { } h)
        {
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        return new TotoTestClient(http).SendAsync(request);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }

    /// <summary>An HTTPS client that trusts exactly the test's certificate.</summary>
    private static HttpClient Trusting(X509Certificate2 certificate, TesseraTestHost host) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString() },
    })
    {
        BaseAddress = host.Http.BaseAddress,
        DefaultRequestHeaders = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
    };
}
