using Npgsql;

namespace Tessera.PostgreSQL;

/// <summary>
/// The schema, as an append-only list of steps recorded in <c>tessera_schema</c>. Instances starting together take an
/// advisory lock, so one migrates and the others find the work done. Never edit a step that has shipped: add one.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The advisory lock key of migrations ("tessera" in ASCII, then 1; appends use the same, then 2).</summary>
    private const long MigrationLock = 0x7465737365726101;

    private static readonly string[] Steps =
    [
        """
        CREATE TABLE tessera_accounts (
            user_id              text        PRIMARY KEY,
            password_hash        text        NOT NULL,
            fields               json        NOT NULL,
            roles                jsonb       NOT NULL,
            created_at           timestamptz NOT NULL,
            sessions_valid_after timestamptz
        );
        CREATE TABLE tessera_sessions (
            id_hash             bytea       PRIMARY KEY,
            user_id             text,
            created_at          timestamptz NOT NULL,
            expires_at          timestamptz NOT NULL,
            absolute_expires_at timestamptz NOT NULL,
            signing_key         text,
            state               json        NOT NULL,
            version             bigint      NOT NULL
        );
        CREATE INDEX tessera_sessions_by_user ON tessera_sessions (user_id);
        CREATE INDEX tessera_sessions_by_expiry ON tessera_sessions (expires_at);
        CREATE TABLE tessera_nonces (
            nonce      text        PRIMARY KEY,
            expires_at timestamptz NOT NULL
        );
        CREATE TABLE tessera_events (
            id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            topic        text        NOT NULL,
            data         json        NOT NULL,
            published_at timestamptz NOT NULL
        );
        CREATE INDEX tessera_events_by_time ON tessera_events (published_at);

        -- Appends under a lock so ids become visible in id order (a reader resuming after id N never misses a
        -- smaller id committed later), and notifies listeners at commit: with the event itself when it fits in a
        -- NOTIFY payload, with its id only otherwise. previous_id lets a listener see that it missed nothing.
        CREATE FUNCTION tessera_append_event(p_topic text, p_data json, p_published_at timestamptz)
        RETURNS TABLE (id bigint, previous_id bigint)
        LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            payload text;
        BEGIN
            PERFORM pg_advisory_xact_lock(8387236820507844866);
            SELECT COALESCE(MAX(e.id), 0) INTO previous_id FROM tessera_events e;
            INSERT INTO tessera_events (topic, data, published_at) VALUES (p_topic, p_data, p_published_at)
            RETURNING tessera_events.id INTO id;
            payload := json_build_object(
                'id', id, 'previous_id', previous_id, 'topic', p_topic,
                'published_at', (extract(epoch FROM p_published_at) * 1000)::bigint, 'data', p_data)::text;
            IF octet_length(payload) > 7900 THEN
                payload := json_build_object('id', id, 'previous_id', previous_id)::text;
            END IF;
            PERFORM pg_notify('tessera_events', payload);
            RETURN NEXT;
        END
        $$;
        """,
        """
        CREATE TABLE tessera_registry (
            service   text        NOT NULL,
            url       text        NOT NULL,
            methods   jsonb       NOT NULL,
            last_seen timestamptz NOT NULL,
            PRIMARY KEY (service, url)
        );
        """,
        """
        CREATE TABLE tessera_jobs (
            name        text        PRIMARY KEY,
            tick        bigint      NOT NULL,
            holder      text        NOT NULL,
            lease_until timestamptz
        );
        """,
    ];

    public static int LatestVersion => Steps.Length;

    public static async Task ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLock});", cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS tessera_schema (version integer NOT NULL);", cancellationToken);

        await using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM tessera_schema;", connection);
        var current = (int)(await read.ExecuteScalarAsync(cancellationToken))!;
        if (current > Steps.Length)
        {
            throw new InvalidOperationException(
                $"The database schema is at version {current}, newer than this Tessera knows ({Steps.Length}). " +
                "Upgrade Tessera or point db_connection at another database.");
        }

        for (var step = current; step < Steps.Length; step++)
        {
            await ExecuteAsync(connection, Steps[step], cancellationToken);
        }

        await ExecuteAsync(connection, $"DELETE FROM tessera_schema; INSERT INTO tessera_schema (version) VALUES ({Steps.Length});", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
