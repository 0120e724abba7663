using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tessera.Client;

/// <summary>Registers named Tessera clients on <c>IHttpClientFactory</c>.</summary>
public static class TesseraClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a client named <paramref name="name"/>: <c>services.AddTesseraClient("hello", o => o.BaseAddress = new
    /// Uri("http://hello:8888"))</c>, then <c>ITesseraClientFactory.CreateClient("hello")</c>. Its connections come from
    /// <c>IHttpClientFactory</c>, whose builder is answered for handlers and resilience of your own.
    /// </summary>
    public static IHttpClientBuilder AddTesseraClient(this IServiceCollection services, string name, Action<TesseraClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(name, configure);
        services.TryAddSingleton<ITesseraClientFactory, TesseraClientFactory>();
        return services.AddHttpClient(name, http => http.Timeout = Timeout.InfiniteTimeSpan);
    }
}

/// <summary>Makes the clients registered with <see cref="TesseraClientServiceCollectionExtensions.AddTesseraClient"/>.</summary>
public interface ITesseraClientFactory
{
    /// <summary>The client registered as <paramref name="name"/>, sharing the application's connection pool. Each call
    /// answers a new client with a session of its own; keep it as long as that session is needed.</summary>
    TesseraClient CreateClient(string name);
}

internal sealed class TesseraClientFactory(IHttpClientFactory http, IOptionsMonitor<TesseraClientOptions> options) : ITesseraClientFactory
{
    public TesseraClient CreateClient(string name) => new(http.CreateClient(name), options.Get(name));
}
