using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Testing;

/// <summary>
/// A Tessera service running for a test: in process through ASP.NET Core's test server, or over real Kestrel on
/// 127.0.0.1. Dispose it to stop the service.
/// </summary>
/// <example>
/// <code>
/// await using var host = await TesseraTestHost.StartAsync(t =&gt; t.Methods.AddType&lt;Greeting&gt;());
/// var answer = await host.Toto.CallAsync("greeting.hello", new { name = "ada" });
/// </code>
/// </example>
public sealed class TesseraTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TesseraTestHost(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
        Toto = new TotoTestClient(http);
    }

    /// <summary>The service's root provider.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>A client whose base address is the service.</summary>
    public HttpClient Http { get; }

    /// <summary>Calls methods through the Toto envelope, URL-style calls and batches.</summary>
    public TotoTestClient Toto { get; }

    /// <summary>Starts a service with Tessera configured by <paramref name="configure"/>.</summary>
    public static async Task<TesseraTestHost> StartAsync(
        Action<ITesseraBuilder>? configure = null,
        Action<TesseraTestHostOptions>? options = null)
    {
        var settings = new TesseraTestHostOptions();
        options?.Invoke(settings);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = settings.Environment });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings.Configuration);
        if (settings.UseKestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        settings.ConfigureBuilder?.Invoke(builder);
        var tessera = builder.Services.AddTessera();
        tessera.Methods.ScanEntryAssembly = false;
        configure?.Invoke(tessera);

        var app = builder.Build();
        try
        {
            settings.ConfigureApp?.Invoke(app);
            app.MapTessera();
            await app.StartAsync().WaitAsync(settings.Timeout);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var http = settings.UseKestrel
            ? new HttpClient { BaseAddress = new Uri(KestrelAddress(app)) }
            : app.GetTestClient();
        http.Timeout = settings.Timeout;
        return new TesseraTestHost(app, http);
    }

    /// <summary>Stops the service gracefully, letting calls in flight finish.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }

    private static string KestrelAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        return addresses?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without an address.");
    }
}
