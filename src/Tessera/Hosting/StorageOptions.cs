using System.ComponentModel;

namespace Tessera;

/// <summary>Which database keeps accounts, sessions and nonces.</summary>
public enum DatabaseKind
{
    /// <summary>One SQLite file (the default): survives restarts, shared by processes on one machine.</summary>
    Sqlite,

    /// <summary>Process memory: for tests and throwaway services; everything is lost on exit.</summary>
    Memory,

    /// <summary>PostgreSQL, shared by any number of instances; needs the Tessera.PostgreSQL package.</summary>
    Postgres,
}

/// <summary>Where sessions, nonces and the event log live.</summary>
public enum SessionStoreKind
{
    /// <summary>In the database chosen by <see cref="StorageOptions.Database"/> (the default).</summary>
    Database,

    /// <summary>In Redis, with expiry; events over Redis pub/sub. Needs the Tessera.Redis package.</summary>
    Redis,
}

/// <summary>Storage options, in the <c>Tessera:Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera:Storage";

    /// <summary>Which database to use.</summary>
    [Description("Database for accounts and sessions: Sqlite (a file, the default), Memory or Postgres.")]
    public DatabaseKind Database { get; set; } = DatabaseKind.Sqlite;

    /// <summary>
    /// The connection string; for SQLite, empty means <c>Data Source=tessera.db</c> in the content root, and a
    /// relative file name is taken from the content root.
    /// </summary>
    [Description("Connection string; empty means tessera.db in the content root for SQLite.")]
    public string DbConnection { get; set; } = string.Empty;

    /// <summary>Where sessions, nonces and events live: the database, or Redis (accounts stay in the database).</summary>
    [Description("Where sessions, nonces and events live: Database (the default) or Redis.")]
    public SessionStoreKind SessionStore { get; set; } = SessionStoreKind.Database;

    /// <summary>The Redis server(s) for <c>session_store=redis</c>, in StackExchange.Redis form: <c>host:port[,host:port]</c>.</summary>
    [Description("Redis server for session_store=redis, as host:port (StackExchange.Redis configuration).")]
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>The prefix of every Redis key and channel, so several services can share one Redis.</summary>
    [Description("Prefix of Tessera's Redis keys and channels, so services can share one Redis.")]
    public string RedisPrefix { get; set; } = "tessera";

    /// <summary>
    /// Seconds a PostgreSQL or Redis operation may take, connecting included, before the call fails with error 1013
    /// (store unavailable) instead of hanging.
    /// </summary>
    [Description("Seconds a PostgreSQL or Redis operation may take before the call fails with error 1013.")]
    public int StoreTimeout { get; set; } = 5;
}
