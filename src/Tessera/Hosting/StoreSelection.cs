using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Stores;
using Tessera.Stores.Memory;
using Tessera.Stores.Sqlite;

namespace Tessera.Hosting;

/// <summary>
/// Picks each store from the configuration: memory and SQLite are built in; PostgreSQL and Redis come from their
/// packages, registered under <see cref="StoreKeys"/>. Accounts always live in the database; sessions, nonces and the
/// event log follow <c>session_store</c>.
/// </summary>
internal static class StoreSelection
{
    public static IAccountStore Accounts(IServiceProvider services) => Storage(services).Database switch
    {
        DatabaseKind.Memory => new MemoryAccountStore(),
        DatabaseKind.Postgres => Keyed<IAccountStore>(services, StoreKeys.Postgres),
        _ => new SqliteAccountStore(services.GetRequiredService<SqliteDatabase>()),
    };

    public static ISessionStore Sessions(IServiceProvider services) => SessionBackend(services) switch
    {
        DatabaseKind.Memory => new MemorySessionStore(),
        DatabaseKind.Postgres => Keyed<ISessionStore>(services, StoreKeys.Postgres),
        null => Keyed<ISessionStore>(services, StoreKeys.Redis),
        _ => new SqliteSessionStore(services.GetRequiredService<SqliteDatabase>()),
    };

    public static INonceStore Nonces(IServiceProvider services) => SessionBackend(services) switch
    {
        DatabaseKind.Memory => new MemoryNonceStore(services.GetRequiredService<TimeProvider>()),
        DatabaseKind.Postgres => Keyed<INonceStore>(services, StoreKeys.Postgres),
        null => Keyed<INonceStore>(services, StoreKeys.Redis),
        _ => new SqliteNonceStore(services.GetRequiredService<SqliteDatabase>(), services.GetRequiredService<TimeProvider>()),
    };

    public static IEventLog EventLog(IServiceProvider services) => SessionBackend(services) switch
    {
        DatabaseKind.Memory => new MemoryEventLog(),
        DatabaseKind.Postgres => Keyed<IEventLog>(services, StoreKeys.Postgres),
        null => Keyed<IEventLog>(services, StoreKeys.Redis),
        _ => new SqliteEventLog(services.GetRequiredService<SqliteDatabase>()),
    };

    /// <summary>The database that keeps sessions, or null when Redis does.</summary>
    private static DatabaseKind? SessionBackend(IServiceProvider services)
    {
        var storage = Storage(services);
        return storage.SessionStore == SessionStoreKind.Redis ? null : storage.Database;
    }

    private static StorageOptions Storage(IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageOptions>>().Value;

    private static T Keyed<T>(IServiceProvider services, string key)
        where T : notnull =>
        services.GetKeyedService<T>(key) ?? throw new InvalidOperationException(key == StoreKeys.Postgres
            ? "database=postgres needs the Tessera.PostgreSQL package: reference it and call AddPostgreSql() on the Tessera builder."
            : "session_store=redis needs the Tessera.Redis package: reference it and call AddRedis() on the Tessera builder.");
}
