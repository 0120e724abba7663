using System.Text;
using Tessera.Client;

namespace Tessera.Tests.Client;

/// <summary>Accounts, sessions and every signing mode through TesseraClient, against real Kestrel.</summary>
public sealed class ClientSessionTests
{
    [Theory]
    [InlineData(TesseraWire.JsonRpc)]
    [InlineData(TesseraWire.Toto)]
    [InlineData(TesseraWire.WebSocket)]
    public async Task CreateLoginLogout_KeepAndForgetTheSession(TesseraWire wire)
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host, o => o.Wire = wire);

        var created = await client.Accounts.CreateAsync("ada", AuthHosts.Password);
        var first = await Count(client);
        await client.Accounts.LogoutAsync();
        var afterLogout = await Assert.ThrowsAsync<TesseraCallException>(() => Count(client));
        await using var again = ClientHosts.Client(host, o => o.Wire = wire);
        var login = await again.Accounts.LoginAsync("ada", AuthHosts.Password);

        Assert.Equal("ada", created.UserId);
        Assert.Equal(22, created.SessionId.Length);
        Assert.Equal(1, first);
        Assert.Null(client.SessionId);
        Assert.Equal(1004, afterLogout.Code);
        Assert.NotEqual(created.SessionId, login.SessionId);
        Assert.Equal(1, await Count(again));
    }

    [Fact]
    public async Task WrongPassword_Is1005_AndKeepsNoSession()
    {
        await using var host = await ClientHosts.StartAsync();
        await using var client = ClientHosts.Client(host);
        await client.Accounts.CreateAsync("grace", AuthHosts.Password);
        await using var other = ClientHosts.Client(host);

        var error = await Assert.ThrowsAsync<TesseraCallException>(() => other.Accounts.LoginAsync("grace", "not the password"));

        Assert.Equal(1005, error.Code);
        Assert.Null(other.SessionId);
    }

    [Theory]
    [InlineData("legacy", TesseraSigning.Legacy)]
    [InlineData("toto", TesseraSigning.Toto)]
    [InlineData("signed", TesseraSigning.Signed)]
    public async Task EverySigningMode_SignsRequests_AndVerifiesAnswers(string mode, TesseraSigning signing)
    {
        await using var host = await ClientHosts.StartAsync(o => o.Configuration["Tessera:Security:Hmac"] = mode);
        await using var client = ClientHosts.Client(host, o => o.Signing = signing);
        await client.Accounts.CreateAsync("signer", AuthHosts.Password);

        Assert.Equal(1, await Count(client));
        Assert.Equal(2, await Count(client));

        // The same session with a wrong signature is refused: the signatures above were checked, not ignored. (Legacy
        // mode accepts a request with no signature at all, as TotoClient-JS's servers did, so it gets a wrong one.)
        await using var forger = new TesseraClient(new HttpClient(new ForgedSignature()), new TesseraClientOptions { BaseAddress = host.Http.BaseAddress, MaxRetries = 0 });
        forger.SessionId = client.SessionId;
        Assert.Equal(1008, (await Assert.ThrowsAsync<TesseraCallException>(() => Count(forger))).Code);
    }

    [Theory]
    [InlineData("legacy", TesseraSigning.Legacy)]
    [InlineData("toto", TesseraSigning.Toto)]
    [InlineData("signed", TesseraSigning.Signed)]
    public async Task TamperedAnswer_Is1009(string mode, TesseraSigning signing)
    {
        await using var host = await ClientHosts.StartAsync(o => o.Configuration["Tessera:Security:Hmac"] = mode);
        var counter = new CountingHandler();
        await using var client = ClientHosts.Client(host, o => o.Signing = signing, counter);
        await client.Accounts.CreateAsync("tampered", AuthHosts.Password);
        counter.OnAnswer = async response =>
        {
            // A man in the middle changes the count in the answer and keeps the signature header.
            var body = await response.Content.ReadAsStringAsync();
            response.Content = new StringContent(body.Replace("\"count\":1", "\"count\":9", StringComparison.Ordinal), Encoding.UTF8, "application/json");
        };

        var error = await Assert.ThrowsAsync<TesseraCallException>(() => Count(client));

        Assert.Equal(1009, error.Code);
    }

    private sealed class ForgedSignature() : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("x-toto-hmac", Convert.ToBase64String(new byte[20]));
            request.Headers.Add("x-tessera-timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("x-tessera-nonce", Guid.NewGuid().ToString("N"));
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static async Task<int> Count(TesseraClient client) =>
        (await client.CallAsync("counter.increment")).GetProperty("count").GetInt32();
}
