using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tessera.Stores;

namespace Tessera.Hosting;

/// <summary>
/// Resolves the configured stores and prepares them at start-up (SQLite or PostgreSQL schema, the Redis connection),
/// so a missing package, a bad connection string or a newer schema stops the service before it takes requests.
/// </summary>
internal sealed class StoreStartupService(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        object?[] stores =
        [
            services.GetService<IAccountStore>(),
            services.GetService<ISessionStore>(),
            services.GetService<INonceStore>(),
            services.GetRequiredService<IEventLog>(),
        ];
        foreach (var store in stores.OfType<IStoreStartup>().Distinct())
        {
            await store.PrepareAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
