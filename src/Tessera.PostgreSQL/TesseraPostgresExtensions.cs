using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.PostgreSQL;
using Tessera.Stores;

namespace Tessera;

/// <summary>Makes PostgreSQL available as Tessera's database.</summary>
public static class TesseraPostgresExtensions
{
    /// <summary>The name that selects this backend in the configuration.</summary>
    public const string BackendName = "postgres";

    /// <summary>
    /// Registers the PostgreSQL stores. They are used when the configuration says <c>database=postgres</c> (with
    /// <c>db_connection</c> an Npgsql connection string): accounts, sessions, nonces and the event log then live in
    /// PostgreSQL, the schema is created or migrated at start-up, and events cross instances over LISTEN/NOTIFY.
    /// Otherwise nothing changes. Idempotent.
    /// </summary>
    public static ITesseraBuilder AddPostgreSql(this ITesseraBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStoreBackend(new StoreBackend(BackendName, StoreRoles.Database | StoreRoles.Sessions, "PostgreSQL (Tessera.PostgreSQL)"));
        var services = builder.Services;
        services.TryAddSingleton<PostgresDatabase>();
        services.TryAddKeyedSingleton<IStoreProbe>(BackendName, (provider, _) => provider.GetRequiredService<PostgresDatabase>());
        services.TryAddKeyedSingleton<IAccountStore>(BackendName, (provider, _) =>
            new PostgresAccountStore(provider.GetRequiredService<PostgresDatabase>()));
        services.TryAddKeyedSingleton<ISessionStore>(BackendName, (provider, _) =>
            new PostgresSessionStore(provider.GetRequiredService<PostgresDatabase>()));
        services.TryAddKeyedSingleton<INonceStore>(BackendName, (provider, _) =>
            new PostgresNonceStore(provider.GetRequiredService<PostgresDatabase>(), provider.GetRequiredService<TimeProvider>()));
        services.TryAddKeyedSingleton<IEventLog>(BackendName, (provider, _) =>
            ActivatorUtilities.CreateInstance<PostgresEventLog>(provider));
        services.TryAddKeyedSingleton<IPeriodicJobStore>(BackendName, (provider, _) =>
            new PostgresPeriodicJobStore(provider.GetRequiredService<PostgresDatabase>()));
        services.TryAddKeyedSingleton<IServiceRegistryStore>(BackendName, (provider, _) =>
            new PostgresServiceRegistryStore(provider.GetRequiredService<PostgresDatabase>()));
        return builder;
    }
}
