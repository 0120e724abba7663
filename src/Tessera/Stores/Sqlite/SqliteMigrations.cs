using Microsoft.Data.Sqlite;

namespace Tessera.Stores.Sqlite;

/// <summary>
/// The schema, as an append-only list of steps. A database records the last step it ran in
/// <c>tessera_schema</c>; start-up runs the ones after it. Never edit a step that has shipped: add one.
/// </summary>
internal static class SqliteMigrations
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE tessera_accounts (
            user_id       TEXT    PRIMARY KEY,
            password_hash TEXT    NOT NULL,
            fields        TEXT    NOT NULL,
            roles         TEXT    NOT NULL,
            created_at    INTEGER NOT NULL,
            sessions_valid_after INTEGER
        );
        CREATE TABLE tessera_sessions (
            id_hash             BLOB    PRIMARY KEY,
            user_id             TEXT,
            created_at          INTEGER NOT NULL,
            expires_at          INTEGER NOT NULL,
            absolute_expires_at INTEGER NOT NULL,
            signing_key         TEXT,
            state               TEXT    NOT NULL,
            version             INTEGER NOT NULL
        );
        CREATE INDEX tessera_sessions_by_user ON tessera_sessions (user_id);
        CREATE INDEX tessera_sessions_by_expiry ON tessera_sessions (expires_at);
        CREATE TABLE tessera_nonces (
            nonce      TEXT    PRIMARY KEY,
            expires_at INTEGER NOT NULL
        );
        """,
        """
        CREATE TABLE tessera_events (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            topic        TEXT    NOT NULL,
            data         TEXT    NOT NULL,
            published_at INTEGER NOT NULL
        );
        CREATE INDEX tessera_events_by_time ON tessera_events (published_at);
        """,
        """
        CREATE TABLE tessera_registry (
            service   TEXT    NOT NULL,
            url       TEXT    NOT NULL,
            methods   TEXT    NOT NULL,
            last_seen INTEGER NOT NULL,
            PRIMARY KEY (service, url)
        );
        """,
        """
        CREATE TABLE tessera_jobs (
            name        TEXT    NOT NULL PRIMARY KEY,
            tick        INTEGER NOT NULL,
            holder      TEXT    NOT NULL,
            lease_until INTEGER
        );
        """,
    ];

    public static int LatestVersion => Steps.Length;

    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var wal = connection.CreateCommand())
        {
            // WAL lets readers proceed while one writer commits; the mode is stored in the file itself.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(
            System.Data.IsolationLevel.Serializable, cancellationToken);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS tessera_schema (version INTEGER NOT NULL);";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        long current;
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM tessera_schema;";
            current = (long)(await read.ExecuteScalarAsync(cancellationToken))!;
        }

        if (current > Steps.Length)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current}, newer than this Tessera knows ({Steps.Length}). " +
                "Upgrade Tessera or point db_connection at another database.");
        }

        for (var step = (int)current; step < Steps.Length; step++)
        {
            await using var migrate = connection.CreateCommand();
            migrate.CommandText = Steps[step];
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var record = connection.CreateCommand())
        {
            record.CommandText = "DELETE FROM tessera_schema; INSERT INTO tessera_schema (version) VALUES ($version);";
            record.Parameters.AddWithValue("$version", Steps.Length);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
