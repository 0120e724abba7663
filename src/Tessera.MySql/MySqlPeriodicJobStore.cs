using Tessera.Stores;

namespace Tessera.MySql;

/// <summary>
/// Leases of periodic jobs in MySQL or MariaDB, shared by every instance on the database. Lease times are the
/// server's clock (<c>NOW(6)</c>), so instances whose clocks drift still agree on when a lease has expired.
/// </summary>
internal sealed class MySqlPeriodicJobStore(MySqlDatabase database) : IPeriodicJobStore
{
    public async Task<bool> TryClaimAsync(string job, long tick, string holder, TimeSpan lease, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync(
            "INSERT IGNORE INTO tessera_jobs (name, tick, holder, lease_until) VALUES (@name, -1, '', NULL);",
            p => p.AddWithValue("@name", job),
            cancellationToken);
        return await database.ExecuteAsync(
            """
            UPDATE tessera_jobs SET tick = @tick, holder = @holder, lease_until = NOW(6) + INTERVAL @lease MICROSECOND
            WHERE name = @name AND tick < @tick AND (lease_until IS NULL OR lease_until < NOW(6));
            """,
            p =>
            {
                p.AddWithValue("@name", job);
                p.AddWithValue("@tick", tick);
                p.AddWithValue("@holder", holder);
                p.AddWithValue("@lease", (long)(lease.TotalMilliseconds * 1000));
            },
            cancellationToken) == 1;
    }

    public async Task<bool> RenewAsync(string job, long tick, string holder, TimeSpan lease, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE tessera_jobs SET lease_until = NOW(6) + INTERVAL @lease MICROSECOND WHERE name = @name AND tick = @tick AND holder = @holder;",
            p =>
            {
                p.AddWithValue("@name", job);
                p.AddWithValue("@tick", tick);
                p.AddWithValue("@holder", holder);
                p.AddWithValue("@lease", (long)(lease.TotalMilliseconds * 1000));
            },
            cancellationToken) >= 1;

    public Task ReleaseAsync(string job, long tick, string holder, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "UPDATE tessera_jobs SET lease_until = NULL WHERE name = @name AND tick = @tick AND holder = @holder;",
            p =>
            {
                p.AddWithValue("@name", job);
                p.AddWithValue("@tick", tick);
                p.AddWithValue("@holder", holder);
            },
            cancellationToken);
}
