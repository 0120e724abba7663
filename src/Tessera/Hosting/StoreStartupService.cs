using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tessera.Stores.Sqlite;

namespace Tessera.Hosting;

/// <summary>Creates or migrates the SQLite schema at start-up, so a bad path or a newer schema stops the service early.</summary>
internal sealed class StoreStartupService(IServiceProvider services, IOptions<StorageOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.Database == DatabaseKind.Sqlite
            ? services.GetRequiredService<SqliteDatabase>().MigrateAsync(cancellationToken)
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
