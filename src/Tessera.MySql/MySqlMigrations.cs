using MySqlConnector;

namespace Tessera.MySql;

/// <summary>
/// The schema, as an append-only list of steps recorded in <c>tessera_schema</c>. MySQL commits each DDL statement by
/// itself, so instances starting together serialize on the named lock <c>tessera_migrations</c> instead of a
/// transaction: one migrates, the others wait and find the work done. Never edit a step that has shipped: add one.
/// Every statement of a step can run again (IF NOT EXISTS), so a step cut short by a crash completes on the next start.
/// Tables are utf8mb4 with binary collation, so keys compare exactly, as on the other stores.
/// </summary>
internal static class MySqlMigrations
{
    private const string LockName = "tessera_migrations";
    private const int LockSeconds = 60;

    private static readonly string[][] Steps =
    [
        [
            """
            CREATE TABLE IF NOT EXISTS tessera_accounts (
                user_id              VARCHAR(255) NOT NULL PRIMARY KEY,
                password_hash        TEXT         NOT NULL,
                fields               LONGTEXT     NOT NULL,
                roles                TEXT         NOT NULL,
                created_at           BIGINT       NOT NULL,
                sessions_valid_after BIGINT       NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
            """
            CREATE TABLE IF NOT EXISTS tessera_sessions (
                id_hash             VARBINARY(64) NOT NULL PRIMARY KEY,
                user_id             VARCHAR(255)  NULL,
                created_at          BIGINT        NOT NULL,
                expires_at          BIGINT        NOT NULL,
                absolute_expires_at BIGINT        NOT NULL,
                signing_key         TEXT          NULL,
                state               LONGTEXT      NOT NULL,
                version             BIGINT        NOT NULL,
                INDEX tessera_sessions_by_user (user_id),
                INDEX tessera_sessions_by_expiry (expires_at)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
            """
            CREATE TABLE IF NOT EXISTS tessera_nonces (
                nonce      VARCHAR(512) NOT NULL PRIMARY KEY,
                expires_at BIGINT       NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
            """
            CREATE TABLE IF NOT EXISTS tessera_events (
                id           BIGINT   NOT NULL PRIMARY KEY,
                topic        TEXT     NOT NULL,
                data         LONGTEXT NOT NULL,
                published_at BIGINT   NOT NULL,
                INDEX tessera_events_by_time (published_at)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
            // One row holding the last event id: appends lock it until they commit, so ids become visible in order.
            "CREATE TABLE IF NOT EXISTS tessera_event_sequence (last_id BIGINT NOT NULL) ENGINE=InnoDB",
            "INSERT INTO tessera_event_sequence (last_id) SELECT 0 FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM tessera_event_sequence)",
        ],
        [
            """
            CREATE TABLE IF NOT EXISTS tessera_registry (
                service   VARCHAR(255)  NOT NULL,
                url       VARCHAR(1024) NOT NULL,
                methods   LONGTEXT      NOT NULL,
                last_seen BIGINT        NOT NULL,
                PRIMARY KEY (service, url(512))
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
        ],
        [
            """
            CREATE TABLE IF NOT EXISTS tessera_jobs (
                name        VARCHAR(255) NOT NULL PRIMARY KEY,
                tick        BIGINT       NOT NULL,
                holder      VARCHAR(255) NOT NULL,
                lease_until DATETIME(6)  NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """,
        ],
    ];

    public static async Task ApplyAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        if (await ScalarAsync(connection, $"SELECT GET_LOCK('{LockName}', {LockSeconds})", cancellationToken) is not 1L and not 1)
        {
            throw new TimeoutException($"Another instance held the migration lock for more than {LockSeconds} s.");
        }

        try
        {
            await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS tessera_schema (version INT NOT NULL) ENGINE=InnoDB", cancellationToken);
            var current = Convert.ToInt32(await ScalarAsync(connection, "SELECT COALESCE(MAX(version), 0) FROM tessera_schema", cancellationToken));
            if (current > Steps.Length)
            {
                throw new InvalidOperationException(
                    $"The database schema is at version {current}, newer than this Tessera knows ({Steps.Length}). " +
                    "Upgrade Tessera or point db_connection at another database.");
            }

            for (var step = current; step < Steps.Length; step++)
            {
                foreach (var statement in Steps[step])
                {
                    await ExecuteAsync(connection, statement, cancellationToken);
                }

                await ExecuteAsync(connection, "DELETE FROM tessera_schema", cancellationToken);
                await ExecuteAsync(connection, $"INSERT INTO tessera_schema (version) VALUES ({step + 1})", cancellationToken);
            }
        }
        finally
        {
            await ScalarAsync(connection, $"SELECT RELEASE_LOCK('{LockName}')", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
