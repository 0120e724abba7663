using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.MySql;
using Tessera.Stores;

namespace Tessera;

/// <summary>Makes MySQL or MariaDB available as Tessera's database.</summary>
public static class TesseraMySqlExtensions
{
    /// <summary>The name that selects this backend in the configuration.</summary>
    public const string BackendName = "mysql";

    /// <summary>
    /// Registers the MySQL stores. They are used when the configuration says <c>database=mysql</c> (with
    /// <c>db_connection</c> a MySqlConnector connection string, <c>Server=db;Database=app;User ID=app;Password=...</c>):
    /// accounts, sessions, nonces and the event log then live in MySQL or MariaDB, the schema is created or migrated at
    /// start-up, and other instances' events are found by polling. Otherwise nothing changes. Idempotent.
    /// </summary>
    public static ITesseraBuilder AddMySql(this ITesseraBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStoreBackend(new StoreBackend(BackendName, StoreRoles.Database | StoreRoles.Sessions, "MySQL or MariaDB (Tessera.MySql)"));
        var services = builder.Services;
        services.TryAddSingleton<MySqlDatabase>();
        services.TryAddKeyedSingleton<IStoreProbe>(BackendName, (provider, _) => provider.GetRequiredService<MySqlDatabase>());
        services.TryAddKeyedSingleton<IAccountStore>(BackendName, (provider, _) => new MySqlAccountStore(provider.GetRequiredService<MySqlDatabase>()));
        services.TryAddKeyedSingleton<ISessionStore>(BackendName, (provider, _) => new MySqlSessionStore(provider.GetRequiredService<MySqlDatabase>()));
        services.TryAddKeyedSingleton<INonceStore>(BackendName, (provider, _) =>
            new MySqlNonceStore(provider.GetRequiredService<MySqlDatabase>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddKeyedSingleton<IPeriodicJobStore>(BackendName, (provider, _) => new MySqlPeriodicJobStore(provider.GetRequiredService<MySqlDatabase>()));
        services.TryAddKeyedSingleton<IServiceRegistryStore>(BackendName, (provider, _) =>
            new MySqlServiceRegistryStore(provider.GetRequiredService<MySqlDatabase>()));
        services.TryAddKeyedSingleton<IEventLog>(BackendName, (provider, _) => new MySqlEventLog(provider.GetRequiredService<MySqlDatabase>()));
        return builder;
    }
}
