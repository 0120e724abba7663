namespace Tessera.Tests.Wires.Toto;

public sealed class TotoCorsTests
{
    [Fact]
    public async Task EveryAnswer_CarriesAllowOriginAndExposesTheHmacHeader()
    {
        await using var host = await Hosts.StartAsync<Shapes>();

        var success = await host.Toto.CallAsync("shapes.task_of");
        var failure = await host.Toto.PostJsonAsync("", "{");

        foreach (var response in new[] { success, failure })
        {
            Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
            Assert.Equal("x-toto-hmac", response.Header("Access-Control-Expose-Headers"));
        }
    }

    [Fact]
    public async Task Preflight_AllowsTotoMethodsAndHeadersPlusRequestedOnes()
    {
        await using var host = await Hosts.StartAsync<Shapes>();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/shapes/task_of");
        request.Headers.Add("Origin", "http://app.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "x-custom");

        var response = await host.Toto.SendAsync(request);

        Assert.Equal(204, response.StatusCode);
        Assert.Equal("GET, HEAD, POST, OPTIONS", response.Header("Access-Control-Allow-Methods"));
        Assert.Equal("x-toto-hmac, x-toto-session-id, x-csrf-token, origin, content-type, x-custom", response.Header("Access-Control-Allow-Headers"));
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ListedOrigins_AreReflectedWithCredentials_AndNoOtherOriginIs()
    {
        await using var host = await Hosts.StartAsync<Shapes>(o => o.Configuration["Tessera:CorsOrigin"] = "https://app.example,https://admin.example");

        var listed = await CallFromAsync(host, "https://admin.example");
        var unlisted = await CallFromAsync(host, "https://evil.example");
        var none = await host.Toto.CallAsync("shapes.task_of");

        Assert.Equal("https://admin.example", listed.Header("Access-Control-Allow-Origin"));
        Assert.Equal("true", listed.Header("Access-Control-Allow-Credentials"));
        Assert.Equal("Origin", listed.Header("Vary"));
        Assert.Null(unlisted.Header("Access-Control-Allow-Origin"));
        Assert.Null(unlisted.Header("Access-Control-Allow-Credentials"));
        Assert.Null(none.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Wildcard_NeverComesWithCredentials_WhateverTheOriginAsks()
    {
        await using var host = await Hosts.StartAsync<Shapes>();

        var response = await CallFromAsync(host, "https://evil.example");

        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
        Assert.Null(response.Header("Access-Control-Allow-Credentials"));
    }

    private static Task<TotoResponse> CallFromAsync(TesseraTestHost host, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/shapes/task_of") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", origin);
        return host.Toto.SendAsync(request);
    }

    [Fact]
    public async Task EmptyOrigin_TurnsCorsHeadersOff()
    {
        await using var host = await Hosts.StartAsync<Shapes>(o => o.Configuration["Tessera:CorsOrigin"] = "");

        var response = await host.Toto.CallAsync("shapes.task_of");

        Assert.Null(response.Header("Access-Control-Allow-Origin"));
        Assert.Null(response.Header("Access-Control-Expose-Headers"));
    }
}
