using Tessera.Stores;

namespace Tessera.PostgreSQL;

/// <summary>
/// Leases of periodic jobs in PostgreSQL, shared by every instance on the database. Lease times are the server's
/// clock, so instances on machines whose clocks drift still agree on when a lease has expired.
/// </summary>
internal sealed class PostgresPeriodicJobStore(PostgresDatabase database) : IPeriodicJobStore
{
    public async Task<bool> TryClaimAsync(string job, long tick, string holder, TimeSpan lease, CancellationToken cancellationToken)
    {
        await database.ExecuteAsync(
            "INSERT INTO tessera_jobs (name, tick, holder, lease_until) VALUES (@name, -1, '', NULL) ON CONFLICT (name) DO NOTHING;",
            p => p.AddWithValue("name", job),
            cancellationToken);
        return await database.ExecuteAsync(
            """
            UPDATE tessera_jobs SET tick = @tick, holder = @holder, lease_until = clock_timestamp() + @lease
            WHERE name = @name AND tick < @tick AND (lease_until IS NULL OR lease_until < clock_timestamp());
            """,
            p =>
            {
                p.AddWithValue("name", job);
                p.AddWithValue("tick", tick);
                p.AddWithValue("holder", holder);
                p.AddWithValue("lease", lease);
            },
            cancellationToken) == 1;
    }

    public async Task<bool> RenewAsync(string job, long tick, string holder, TimeSpan lease, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE tessera_jobs SET lease_until = clock_timestamp() + @lease WHERE name = @name AND tick = @tick AND holder = @holder;",
            p =>
            {
                p.AddWithValue("name", job);
                p.AddWithValue("tick", tick);
                p.AddWithValue("holder", holder);
                p.AddWithValue("lease", lease);
            },
            cancellationToken) == 1;

    public Task ReleaseAsync(string job, long tick, string holder, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "UPDATE tessera_jobs SET lease_until = NULL WHERE name = @name AND tick = @tick AND holder = @holder;",
            p =>
            {
                p.AddWithValue("name", job);
                p.AddWithValue("tick", tick);
                p.AddWithValue("holder", holder);
            },
            cancellationToken);
}
