using System.ComponentModel;

namespace Tessera;

/// <summary>Storage options, in the <c>Tessera:Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera:Storage";

    /// <summary>
    /// The store backend for accounts (and, unless <see cref="SessionStore"/> says otherwise, sessions, nonces and
    /// events), by its registered name: <c>sqlite</c> (the default), <c>memory</c>, or a package's (<c>postgres</c>,
    /// <c>mysql</c>).
    /// </summary>
    [Description("Store backend for accounts and sessions, by name: sqlite (a file, the default), memory, or a package's (postgres, mysql).")]
    public string Database { get; set; } = "sqlite";

    /// <summary>
    /// The connection string; for SQLite, empty means <c>Data Source=tessera.db</c> in <see cref="DataDir"/>, and a
    /// relative file name is taken from there.
    /// </summary>
    [Description("Connection string; empty means tessera.db in data_dir for SQLite.")]
    public string DbConnection { get; set; } = string.Empty;

    /// <summary>
    /// The folder of the service's own state: the SQLite file, the Data Protection keys (so sessions and cookies survive
    /// restarts and are shared by instances that point at the same folder) and the pid files of <c>--start</c>. Empty
    /// means the folder of the file given with <c>--config</c>, else the content root.
    /// </summary>
    [Description("Folder for tessera.db, the Data Protection keys and pid files; empty = the --config file's folder, else the content root.")]
    public string DataDir { get; set; } = string.Empty;

    /// <summary>
    /// Where sessions, nonces and events live: <c>database</c> (wherever <see cref="Database"/> is, the default) or
    /// another registered backend's name (<c>redis</c>); accounts stay in the database.
    /// </summary>
    [Description("Where sessions, nonces and events live: database (the default) or a registered backend's name (redis).")]
    public string SessionStore { get; set; } = "database";

    /// <summary>
    /// Where the event log lives: <c>sessions</c> (with sessions, the default) or a registered backend's name
    /// (<c>nats</c>: a JetStream stream), while accounts and sessions stay where the other options put them.
    /// </summary>
    [Description("Where the event log lives: sessions (with the sessions, the default) or a registered backend's name (nats).")]
    public string Events { get; set; } = "sessions";

    /// <summary>The NATS server(s) for <c>events=nats</c>: <c>nats://host:port</c>, comma-separated for a cluster.</summary>
    [Description("NATS server for events=nats, as nats://host:port.")]
    public string Nats { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>The JetStream stream (and subject) of the event log, so several services can share one NATS.</summary>
    [Description("JetStream stream name of the event log with events=nats.")]
    public string NatsStream { get; set; } = "tessera_events";

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
