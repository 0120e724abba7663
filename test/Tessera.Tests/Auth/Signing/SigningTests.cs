using System.Security.Cryptography;
using System.Text;

namespace Tessera.Tests.Auth.Signing;

public sealed class SigningTests
{
    private const string Password = AuthHosts.Password;

    private static Task<TesseraTestHost> Start(string mode, ManualTimeProvider? time = null) => AuthHosts.StartAsync(
        o => o.Configuration["Tessera:Security:Hmac"] = mode,
        configure: t =>
        {
            t.Methods.Add("echo.text", (string text) => text);
            if (time is not null)
            {
                t.Services.AddSingleton<TimeProvider>(time);
            }
        });

    private static HttpRequestMessage Envelope(string json) =>
        new(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task Legacy_TotoClientJsSignature_IsAcceptedAndItsResponseSignatureVerifies()
    {
        await using var host = await Start("legacy");
        await host.Toto.CreateAccountAsync("Ada", Password);
        host.Toto.OnRequest = Signers.Legacy("Ada");
        // TotoClient-JS sends JSON with non-ASCII characters escaped.
        const string body = """{"method":"secure.who_am_i","parameters":{"note":"J\u00e9r\u00f4me \ud83d\ude00"}}""";

        var response = await host.Toto.SendAsync(Envelope(body));

        Assert.Equal("ada", response.Result.GetString());
        var expected = Convert.ToBase64String(HMACSHA1.HashData("ada"u8, Encoding.UTF8.GetBytes(response.Body)));
        Assert.Equal(expected, response.Header("x-toto-hmac"));
    }

    [Fact]
    public async Task Legacy_WrongSignature_Answers1008()
    {
        await using var host = await Start("legacy");
        await host.Toto.CreateAccountAsync("ada", Password);
        host.Toto.OnRequest = Signers.Legacy("someone-else");

        var response = await host.Toto.CallAsync("secure.who_am_i");

        Assert.Equal(1008, response.ErrorCode);
        Assert.Equal("Invalid HMAC", response.ErrorValue.GetString());
    }

    [Fact]
    public async Task Toto_LoginReturnsAKey_AndSignedRequestsWork()
    {
        await using var host = await Start("toto");
        var login = await host.Toto.CreateAccountAsync("ada", Password);
        var key = login.Result.GetProperty("key").GetString()!;
        host.Toto.OnRequest = Signers.Toto(key);

        var response = await host.Toto.CallAsync("secure.who_am_i");

        Assert.Matches("^[A-Za-z0-9_-]{22}$", key);
        Assert.Equal("ada", response.Result.GetString());
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(host.Toto.SessionId + response.Body)));
        Assert.Equal(expected, response.Header("x-toto-hmac"));
    }

    [Fact]
    public async Task Toto_SignatureCoversTheRequestTarget()
    {
        await using var host = await Start("toto");
        var key = (await host.Toto.CreateAccountAsync("ada", Password)).Result.GetProperty("key").GetString()!;
        host.Toto.OnRequest = Signers.Toto(key);

        var get = await host.Toto.GetAsync("secure/read?key=x");
        host.Toto.OnRequest = async request =>
        {
            await Signers.Toto(key)(request);
            request.RequestUri = new Uri("/secure/read?key=y", UriKind.Relative);
        };
        var redirected = await host.Toto.GetAsync("secure/read?key=x");

        Assert.Equal(0, get.Result.GetInt32());
        Assert.Equal(1008, redirected.ErrorCode);
    }

    [Fact]
    public async Task Toto_MissingSignature_Answers1008()
    {
        await using var host = await Start("toto");
        await host.Toto.CreateAccountAsync("ada", Password);

        Assert.Equal(1008, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }

    [Fact]
    public async Task Signed_ValidRequest_IsAcceptedAndTheResponseIsBoundToItsNonce()
    {
        await using var host = await Start("signed");
        var key = (await host.Toto.CreateAccountAsync("ada", Password)).Result.GetProperty("key").GetString()!;
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        host.Toto.OnRequest = Signers.Signed(key, host.Toto.SessionId!, nonce: nonce);

        var response = await host.Toto.CallAsync("secure.who_am_i");

        Assert.Equal("ada", response.Result.GetString());
        Assert.Equal(Signers.SignedResponse(key, nonce, response.Body), response.Header("x-toto-hmac"));
    }

    [Fact]
    public async Task Signed_TamperedBody_Answers1008()
    {
        await using var host = await Start("signed");
        var key = (await host.Toto.CreateAccountAsync("ada", Password)).Result.GetProperty("key").GetString()!;
        host.Toto.OnRequest = Signers.Signed(key, host.Toto.SessionId!, afterSigning: request =>
            request.Content = new StringContent("""{"method":"secure.put","parameters":{"key":"k","value":666}}""", Encoding.UTF8, "application/json"));

        var response = await host.Toto.CallAsync("secure.put", new { key = "k", value = 1 });

        Assert.Equal(1008, response.ErrorCode);
    }

    [Fact]
    public async Task Signed_WrongKey_Answers1008()
    {
        await using var host = await Start("signed");
        await host.Toto.CreateAccountAsync("ada", Password);
        host.Toto.OnRequest = Signers.Signed("not-the-session-key-123", host.Toto.SessionId!);

        Assert.Equal(1008, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task Signed_TimestampOutsideTheWindow_Answers1008(int offsetSeconds)
    {
        await using var host = await Start("signed");
        var key = (await host.Toto.CreateAccountAsync("ada", Password)).Result.GetProperty("key").GetString()!;
        host.Toto.OnRequest = Signers.Signed(key, host.Toto.SessionId!, clock: () => DateTimeOffset.UtcNow.AddSeconds(offsetSeconds));

        Assert.Equal(1008, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }

    [Fact]
    public async Task Signed_ReplayedNonce_Answers1008()
    {
        await using var host = await Start("signed");
        var key = (await host.Toto.CreateAccountAsync("ada", Password)).Result.GetProperty("key").GetString()!;
        host.Toto.OnRequest = Signers.Signed(key, host.Toto.SessionId!, nonce: "0123456789abcdef0123");

        var first = await host.Toto.CallAsync("secure.who_am_i");
        var replay = await host.Toto.CallAsync("secure.who_am_i");

        Assert.Equal("ada", first.Result.GetString());
        Assert.Equal(1008, replay.ErrorCode);
    }

    [Fact]
    public async Task Signed_ForgedRequest_DoesNotSpendTheNonce()
    {
        await using var host = await Start("signed");
        var key = (await host.Toto.CreateAccountAsync("ada", Password)).Result.GetProperty("key").GetString()!;
        const string nonce = "fedcba9876543210fedc";

        host.Toto.OnRequest = Signers.Signed("forged-key-0000000000", host.Toto.SessionId!, nonce: nonce);
        var forged = await host.Toto.CallAsync("secure.who_am_i");
        host.Toto.OnRequest = Signers.Signed(key, host.Toto.SessionId!, nonce: nonce);
        var genuine = await host.Toto.CallAsync("secure.who_am_i");

        Assert.Equal(1008, forged.ErrorCode);
        Assert.Equal("ada", genuine.Result.GetString());
    }

    [Fact]
    public async Task Signed_MissingSignatureHeaders_Answer1008()
    {
        await using var host = await Start("signed");
        await host.Toto.CreateAccountAsync("ada", Password);

        Assert.Equal(1008, (await host.Toto.CallAsync("secure.who_am_i")).ErrorCode);
    }

    [Fact]
    public async Task Signed_FormBody_IsCoveredByTheSignature()
    {
        await using var host = await Start("signed");
        var key = (await host.Toto.CreateAccountAsync("ada", Password)).Result.GetProperty("key").GetString()!;
        host.Toto.OnRequest = Signers.Signed(key, host.Toto.SessionId!);
        var signedForm = await host.Toto.PostAsync("secure/put", new FormUrlEncodedContent([new("key", "k"), new("value", "5")]));
        host.Toto.OnRequest = Signers.Signed(key, host.Toto.SessionId!, afterSigning: request =>
            request.Content = new FormUrlEncodedContent([new("key", "k"), new("value", "6")]));
        var tampered = await host.Toto.PostAsync("secure/put", new FormUrlEncodedContent([new("key", "k"), new("value", "5")]));

        Assert.Equal(5, signedForm.Result.GetInt32());
        Assert.Equal(1008, tampered.ErrorCode);
    }

    [Fact]
    public async Task Off_IgnoresSignatureHeadersAndSignsNothing()
    {
        await using var host = await Start("off");
        await host.Toto.CreateAccountAsync("ada", Password);
        host.Toto.OnRequest = request =>
        {
            request.Headers.Add("x-toto-hmac", "garbage");
            return Task.CompletedTask;
        };

        var response = await host.Toto.CallAsync("secure.who_am_i");

        Assert.Equal("ada", response.Result.GetString());
        Assert.Null(response.Header("x-toto-hmac"));
    }
}
