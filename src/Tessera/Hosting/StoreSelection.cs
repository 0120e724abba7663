using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Stores;
using Tessera.Stores.Memory;
using Tessera.Stores.Sqlite;

namespace Tessera.Hosting;

/// <summary>
/// Picks each store by the backend name the configuration gives: <c>database</c> for accounts (and, by default,
/// everything else), <c>session_store</c> for sessions, nonces and the event log when they live elsewhere, <c>events</c>
/// for the event log alone. Memory and
/// SQLite are built in; every other backend is a package that registered a <see cref="StoreBackend"/> by name.
/// </summary>
internal static class StoreSelection
{
    public const string Memory = "memory";
    public const string Sqlite = "sqlite";

    /// <summary>The <c>session_store</c> value that keeps sessions in the database (the default).</summary>
    public const string SameAsDatabase = "database";

    /// <summary>
    /// Whether the service keeps state on disk (Data Protection keys, the start-up profile): a data directory was given,
    /// or a store other than process memory. With <c>--database=memory</c> and no <c>--data_dir</c> nothing is written,
    /// so tests and throwaway runs leave nothing behind.
    /// </summary>
    public static bool KeepsStateOnDisk(StorageOptions storage) =>
        !string.IsNullOrWhiteSpace(storage.DataDir) || Normalize(storage.Database) != Memory;

    public static IAccountStore Accounts(IServiceProvider services) => DatabaseName(services) switch
    {
        Memory => new MemoryAccountStore(),
        Sqlite => new SqliteAccountStore(services.GetRequiredService<SqliteDatabase>()),
        var name => Keyed<IAccountStore>(services, name),
    };

    public static ISessionStore Sessions(IServiceProvider services) => SessionBackend(services) switch
    {
        Memory => new MemorySessionStore(),
        Sqlite => new SqliteSessionStore(services.GetRequiredService<SqliteDatabase>()),
        var name => Keyed<ISessionStore>(services, name),
    };

    public static INonceStore Nonces(IServiceProvider services) => SessionBackend(services) switch
    {
        Memory => new MemoryNonceStore(services.GetRequiredService<TimeProvider>()),
        Sqlite => new SqliteNonceStore(services.GetRequiredService<SqliteDatabase>(), services.GetRequiredService<TimeProvider>()),
        var name => Keyed<INonceStore>(services, name),
    };

    public static IEventLog EventLog(IServiceProvider services) => EventBackend(services) switch
    {
        Memory => new MemoryEventLog(),
        Sqlite => new SqliteEventLog(services.GetRequiredService<SqliteDatabase>()),
        var name => Keyed<IEventLog>(services, name),
    };

    /// <summary>The registry lives with the accounts: the one store every instance of a service shares.</summary>
    public static IServiceRegistryStore Registry(IServiceProvider services) => DatabaseName(services) switch
    {
        Memory => new MemoryServiceRegistryStore(),
        Sqlite => new SqliteServiceRegistryStore(services.GetRequiredService<SqliteDatabase>()),
        var name => services.GetKeyedService<IServiceRegistryStore>(name) ?? throw new InvalidOperationException(
            $"--registry=on keeps instances in the database, and the '{name}' backend has no registry store: use a database " +
            "that has one (sqlite, postgres, mysql) or leave the registry off."),
    };

    /// <summary>Leases of periodic jobs live with the accounts, in the store every instance of the service shares.</summary>
    public static IPeriodicJobStore PeriodicJobs(IServiceProvider services) => DatabaseName(services) switch
    {
        Memory => new MemoryPeriodicJobStore(services.GetRequiredService<TimeProvider>()),
        Sqlite => new SqlitePeriodicJobStore(services.GetRequiredService<SqliteDatabase>(), services.GetRequiredService<TimeProvider>()),
        var name => services.GetKeyedService<IPeriodicJobStore>(name) ?? throw new InvalidOperationException(
            $"Periodic jobs keep their leases in the database, and the '{name}' backend has no lease store: use a database " +
            "that has one (sqlite, postgres, mysql)."),
    };

    public static string DatabaseName(IServiceProvider services) => Normalize(Storage(services).Database);

    /// <summary>The backend that keeps sessions, nonces and events.</summary>
    public static string SessionBackend(IServiceProvider services)
    {
        var storage = Storage(services);
        var sessions = Normalize(storage.SessionStore);
        return sessions is SameAsDatabase or "" ? Normalize(storage.Database) : sessions;
    }

    /// <summary>The <c>events</c> value that keeps the event log with the sessions (the default).</summary>
    public const string SameAsSessions = "sessions";

    /// <summary>The backend that keeps the event log.</summary>
    public static string EventBackend(IServiceProvider services)
    {
        var events = Normalize(Storage(services).Events);
        return events is SameAsSessions or "" ? SessionBackend(services) : events;
    }

    public static string Normalize(string? name) => (name ?? string.Empty).Trim().ToLowerInvariant();

    private static StorageOptions Storage(IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageOptions>>().Value;

    private static T Keyed<T>(IServiceProvider services, string name)
        where T : notnull =>
        services.GetKeyedService<T>(name) ?? throw new InvalidOperationException(
            $"The store backend '{name}' registered no {typeof(T).Name}; it cannot keep what the configuration asks of it.");
}
