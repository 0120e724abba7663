namespace Tessera.Stores.Sqlite;

/// <summary>
/// Leases of periodic jobs in the SQLite file, shared by the processes on this machine that use it. Times are this
/// machine's clock (every process sharing a file shares the clock), in Unix milliseconds.
/// </summary>
internal sealed class SqlitePeriodicJobStore(SqliteDatabase database, TimeProvider time) : IPeriodicJobStore
{
    public async Task<bool> TryClaimAsync(string job, long tick, string holder, TimeSpan lease, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync(
            "INSERT OR IGNORE INTO tessera_jobs (name, tick, holder, lease_until) VALUES ($name, -1, '', NULL);",
            p => p.AddWithValue("$name", job),
            cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await database.ExecuteAsync(
            """
            UPDATE tessera_jobs SET tick = $tick, holder = $holder, lease_until = $until
            WHERE name = $name AND tick < $tick AND (lease_until IS NULL OR lease_until < $now);
            """,
            p =>
            {
                p.AddWithValue("$name", job);
                p.AddWithValue("$tick", tick);
                p.AddWithValue("$holder", holder);
                p.AddWithValue("$until", now + (long)lease.TotalMilliseconds);
                p.AddWithValue("$now", now);
            },
            cancellationToken) == 1;
    }

    public async Task<bool> RenewAsync(string job, long tick, string holder, TimeSpan lease, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE tessera_jobs SET lease_until = $until WHERE name = $name AND tick = $tick AND holder = $holder;",
            p =>
            {
                p.AddWithValue("$name", job);
                p.AddWithValue("$tick", tick);
                p.AddWithValue("$holder", holder);
                p.AddWithValue("$until", time.GetUtcNow().ToUnixTimeMilliseconds() + (long)lease.TotalMilliseconds);
            },
            cancellationToken) == 1;

    public Task ReleaseAsync(string job, long tick, string holder, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "UPDATE tessera_jobs SET lease_until = NULL WHERE name = $name AND tick = $tick AND holder = $holder;",
            p =>
            {
                p.AddWithValue("$name", job);
                p.AddWithValue("$tick", tick);
                p.AddWithValue("$holder", holder);
            },
            cancellationToken);
}
