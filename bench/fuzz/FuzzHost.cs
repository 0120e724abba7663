using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Client;
using Tessera.Testing;

namespace Tessera.Fuzz;

/// <summary>
/// One service in process for every target: the fuzz methods, accounts, BSON, signed sessions. Requests go through
/// ASP.NET Core's TestServer (the whole pipeline, no sockets), which is what makes a million inputs per parser cheap.
/// </summary>
internal sealed class FuzzHost : IAsyncDisposable
{
    private FuzzHost(TesseraTestHost host, TestServer server, CapturedRequest signed)
    {
        Host = host;
        Server = server;
        Signed = signed;
    }

    public TesseraTestHost Host { get; }

    public TestServer Server { get; }

    public HttpClient Http => Host.Http;

    /// <summary>A signed call of <c>secure.whoami</c> as the client sent it, already answered once: every resend is a replay.</summary>
    public CapturedRequest Signed { get; }

    public static async Task<FuzzHost> StartAsync()
    {
        var host = await TesseraTestHost.StartAsync(
            tessera => tessera.AddAccounts().AddBson().Methods.AddType<FuzzMethods>(),
            options =>
            {
                options.Configuration["Tessera:Security:Hmac"] = "signed";
                options.Configuration["Tessera:MaxRequestBodySize"] = "262144";
            });
        var server = (TestServer)host.Services.GetRequiredService<IServer>();

        var recorder = new Recorder(server.CreateHandler());
        using var http = new HttpClient(recorder) { BaseAddress = host.Http.BaseAddress };
        await using var client = new TesseraClient(http, new TesseraClientOptions
        {
            BaseAddress = host.Http.BaseAddress,
            Wire = TesseraWire.Toto,
            Signing = TesseraSigning.Signed,
        });
        await client.Accounts.CreateAsync("fuzzer", "correct horse battery staple");
        var me = await client.CallAsync<string>("secure.whoami");
        if (me != "fuzzer" || recorder.Last is null)
        {
            throw new InvalidOperationException("The signed session could not be set up.");
        }

        return new FuzzHost(host, server, recorder.Last);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private sealed class Recorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public CapturedRequest? Last { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Last = new CapturedRequest(
                request.Method,
                request.RequestUri!.PathAndQuery,
                [.. request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(",", h.Value)))],
                request.Content?.Headers.ContentType,
                body);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

internal sealed record CapturedRequest(HttpMethod Method, string PathAndQuery, IReadOnlyList<KeyValuePair<string, string>> Headers, MediaTypeHeaderValue? ContentType, byte[] Body);
