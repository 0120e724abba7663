using System.ComponentModel;

namespace Tessera;

/// <summary>Which database keeps accounts, sessions and nonces.</summary>
public enum DatabaseKind
{
    /// <summary>One SQLite file (the default): survives restarts, shared by processes on one machine.</summary>
    Sqlite,

    /// <summary>Process memory: for tests and throwaway services; everything is lost on exit.</summary>
    Memory,
}

/// <summary>Storage options, in the <c>Tessera:Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera:Storage";

    /// <summary>Which database to use.</summary>
    [Description("Database for accounts and sessions: Sqlite (a file, the default) or Memory.")]
    public DatabaseKind Database { get; set; } = DatabaseKind.Sqlite;

    /// <summary>
    /// The connection string; for SQLite, empty means <c>Data Source=tessera.db</c> in the content root, and a
    /// relative file name is taken from the content root.
    /// </summary>
    [Description("Connection string; empty means tessera.db in the content root for SQLite.")]
    public string DbConnection { get; set; } = string.Empty;
}
