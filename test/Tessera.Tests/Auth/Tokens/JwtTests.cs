using Microsoft.Extensions.Logging;
using System.Net.WebSockets;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tessera.Tests.Auth.Tokens;

/// <summary>
/// JWT bearer tokens through real Kestrel: issued for a session, accepted on every wire, refused when tampered, unsigned
/// (<c>alg: none</c>), signed with another key, expired or not yet valid (each refusal logged with its reason), and
/// refresh tokens that rotate, where reuse ends the whole family.
/// </summary>
public sealed class JwtTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a test key of at least thirty-two bytes!!");
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly LogCapture _logs = new();

    private Task<TesseraTestHost> StartAsync() =>
        AuthHosts.StartAsync(
            o =>
            {
                o.UseKestrel = true;
                o.Configuration["Tessera:Security:JwtKey"] = Convert.ToBase64String(Key);
                o.ConfigureBuilder = builder => builder.Logging.AddProvider(_logs);
            },
            configure: t => t.Services.AddSingleton<TimeProvider>(_time));

    private static async Task<(string Access, string Refresh)> TokensAsync(TesseraTestHost host, string userId = "ada")
    {
        var client = host.Toto.Fresh();
        client.SessionId = (await client.CreateAccountAsync(userId, AuthHosts.Password)).Result.GetProperty("session_id").GetString();
        var pair = (await client.CallAsync("account.token")).Result;
        Assert.Equal(900, pair.GetProperty("expires_in").GetInt32());
        Assert.Equal("Bearer", pair.GetProperty("token_type").GetString());
        return (pair.GetProperty("access_token").GetString()!, pair.GetProperty("refresh_token").GetString()!);
    }

    private static async Task<TotoResponse> WhoAmIAsync(TesseraTestHost host, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/secure/who_am_i") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", token);
        return await host.Toto.Fresh().SendAsync(request);
    }

    [Fact]
    public async Task AnAccessToken_AuthenticatesCalls_OnEveryWire()
    {
        await using var host = await StartAsync();
        var (access, _) = await TokensAsync(host);

        var toto = await WhoAmIAsync(host, access);
        using var jsonRpcRequest = new HttpRequestMessage(HttpMethod.Post, "api")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","method":"secure.who_am_i","id":1}""", Encoding.UTF8, "application/json"),
        };
        jsonRpcRequest.Headers.Authorization = new("Bearer", access);
        using var jsonRpc = await host.Http.SendAsync(jsonRpcRequest);
        using var xmlRpcRequest = new HttpRequestMessage(HttpMethod.Post, "RPC2")
        {
            Content = new StringContent("<?xml version=\"1.0\"?><methodCall><methodName>secure.who_am_i</methodName><params/></methodCall>", Encoding.UTF8, "text/xml"),
        };
        xmlRpcRequest.Headers.Authorization = new("Bearer", access);
        using var xmlRpc = await host.Http.SendAsync(xmlRpcRequest);
        await using var socket = await WebSocketClient.ConnectAsync(host.Http.BaseAddress!, "/ws", o => o.SetRequestHeader("Authorization", "Bearer " + access));
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"secure.who_am_i","id":1}""");
        var overSocket = await socket.ReceiveAsync();

        Assert.Equal("ada", toto.Result.GetString());
        Assert.Contains("\"result\":\"ada\"", await jsonRpc.Content.ReadAsStringAsync());
        Assert.Contains("<string>ada</string>", await xmlRpc.Content.ReadAsStringAsync());
        Assert.Equal("ada", overSocket!.Value.GetProperty("result").GetString());
    }

    [Fact]
    public async Task TamperedUnsignedAndForeignTokens_AreRefused_AndLoggedWithTheReason()
    {
        await using var host = await StartAsync();
        var (access, _) = await TokensAsync(host);
        await TokensAsync(host, "bob");
        var parts = access.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"sub\":\"ada\"", "\"sub\":\"bob\"");
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
        var unsigned = $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.";
        var foreign = Sign(Encoding.UTF8.GetBytes("another key, also thirty-two bytes long"), "ada", DateTime.UtcNow, DateTime.UtcNow.AddMinutes(5));

        var answers = new[] { await WhoAmIAsync(host, tampered), await WhoAmIAsync(host, unsigned), await WhoAmIAsync(host, foreign), await WhoAmIAsync(host, "not.a.jwt") };

        Assert.All(answers, a => Assert.Equal(1004, a.ErrorCode));
        var reasons = _logs.Entries.Where(e => e.Message.StartsWith("A bearer token was refused", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.Equal(4, reasons.Count);
        Assert.Contains(reasons, r => r.Contains("Signature", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("ada", (await WhoAmIAsync(host, access)).Result.GetString());
    }

    [Fact]
    public async Task ExpiredAndNotYetValidTokens_AreRefused()
    {
        await using var host = await StartAsync();
        var (access, _) = await TokensAsync(host);
        var now = _time.GetUtcNow().UtcDateTime;
        var future = Sign(Key, "ada", now.AddMinutes(10), now.AddMinutes(20));

        var early = await WhoAmIAsync(host, future);
        _time.Advance(TimeSpan.FromSeconds(900 + 31));
        var late = await WhoAmIAsync(host, access);

        Assert.Equal(1004, early.ErrorCode);
        Assert.Equal(1004, late.ErrorCode);
        Assert.Contains(_logs.Entries, e => e.Message.Contains("SecurityTokenNotYetValidException", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Message.Contains("SecurityTokenExpiredException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARefreshToken_RotatesOnce_AndReuseEndsTheWholeFamily()
    {
        await using var host = await StartAsync();
        var (_, first) = await TokensAsync(host);

        var rotated = await host.Toto.Fresh().CallAsync("account.refresh", new { refresh_token = first });
        var second = rotated.Result.GetProperty("refresh_token").GetString();
        var stolenReuse = await host.Toto.Fresh().CallAsync("account.refresh", new { refresh_token = first });
        var ownerNext = await host.Toto.Fresh().CallAsync("account.refresh", new { refresh_token = second });

        Assert.Equal("ada", (await WhoAmIAsync(host, rotated.Result.GetProperty("access_token").GetString()!)).Result.GetString());
        Assert.Equal(1004, stolenReuse.ErrorCode);
        Assert.Equal(1004, ownerNext.ErrorCode);
        Assert.Contains(_logs.Entries, e => e.Message.Contains("was used twice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EndingEverySession_EndsTokensToo()
    {
        await using var host = await StartAsync();
        var (access, refresh) = await TokensAsync(host);
        _time.Advance(TimeSpan.FromSeconds(1));

        await host.Services.GetRequiredService<AccountService>().EndAllSessionsAsync("ada");

        Assert.Equal(1004, (await WhoAmIAsync(host, access)).ErrorCode);
        Assert.Equal(1004, (await host.Toto.Fresh().CallAsync("account.refresh", new { refresh_token = refresh })).ErrorCode);
    }

    [Fact]
    public async Task ABearerToken_CannotMintANewFamily()
    {
        await using var host = await StartAsync();
        var (access, _) = await TokensAsync(host);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/token") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", access);

        var answer = await host.Toto.Fresh().SendAsync(request);

        Assert.Equal(1004, answer.ErrorCode);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    public async Task AsymmetricKeys_FromAPemFile_SignAndCheckTokens(string algorithm)
    {
        var pem = Path.Combine(Path.GetTempPath(), $"tessera-jwt-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(pem, algorithm == "ES256"
            ? System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem()
            : System.Security.Cryptography.RSA.Create(2048).ExportPkcs8PrivateKeyPem());
        try
        {
            await using var host = await AuthHosts.StartAsync(o =>
            {
                o.UseKestrel = true;
                o.Configuration["Tessera:Security:JwtAlgorithm"] = algorithm;
                o.Configuration["Tessera:Security:JwtKeyFile"] = pem;
            });
            var (access, _) = await TokensAsync(host);

            Assert.Equal(algorithm, System.Text.Json.JsonDocument.Parse(Base64UrlEncoder.Decode(access.Split('.')[0])).RootElement.GetProperty("alg").GetString());
            Assert.Equal("ada", (await WhoAmIAsync(host, access)).Result.GetString());
            Assert.Equal(1004, (await WhoAmIAsync(host, Sign(Key, "ada", DateTime.UtcNow, DateTime.UtcNow.AddMinutes(5)))).ErrorCode);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Theory]
    [InlineData("Tessera:Security:JwtKey", "c2hvcnQ=", "jwt_key must be base64 of at least 32")]
    [InlineData("Tessera:Security:JwtAlgorithm", "ES256", "needs jwt_key_file")]
    public async Task UnusableKeys_StopStartUp(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(o => o.Configuration[key] = value));

        Assert.Contains(message, failure.Message);
    }

    [Fact]
    public async Task AKeyFileWithoutAKey_StopsStartUp()
    {
        // IdentityModel's objects are made by the first token; the key itself is still read at start-up.
        var pem = Path.GetTempFileName();
        await File.WriteAllTextAsync(pem, "not a key");
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(o =>
            {
                o.Configuration["Tessera:Security:JwtAlgorithm"] = "RS256";
                o.Configuration["Tessera:Security:JwtKeyFile"] = pem;
            }));

            Assert.Contains("key", failure.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public async Task WithoutAConfiguredKey_TokensIssuedAtOnceByTheFirstCalls_AllValidate()
    {
        // The process's random key is drawn with the first token: calls racing to issue it must all sign with one key.
        for (var round = 0; round < 50; round++)
        {
            var jwt = new Tessera.Auth.Tokens.JwtTokens(
                Microsoft.Extensions.Options.Options.Create(new SecurityOptions()), TimeProvider.System,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<Tessera.Auth.Tokens.JwtTokens>.Instance);
            using var start = new Barrier(4);
            var tokens = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            {
                start.SignalAndWait();
                return jwt.Issue($"user{i}");
            })));

            for (var i = 0; i < tokens.Length; i++)
            {
                Assert.Equal($"user{i}", (await jwt.ValidateAsync(tokens[i]))?.UserId);
            }
        }
    }

    private static string Sign(byte[] key, string subject, DateTime notBefore, DateTime expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "tessera",
            Audience = "tessera",
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = subject },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
}
