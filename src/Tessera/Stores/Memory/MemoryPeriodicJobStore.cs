namespace Tessera.Stores.Memory;

/// <summary>Leases of periodic jobs in process memory: one process, so each tick runs once in it.</summary>
internal sealed class MemoryPeriodicJobStore(TimeProvider time) : IPeriodicJobStore
{
    private readonly Dictionary<string, (long Tick, string Holder, DateTimeOffset? LeaseUntil)> _jobs = new(StringComparer.Ordinal);

    public Task<bool> TryClaimAsync(string job, long tick, string holder, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_jobs)
        {
            var now = time.GetUtcNow();
            if (_jobs.TryGetValue(job, out var current) && (current.Tick >= tick || current.LeaseUntil > now))
            {
                return Task.FromResult(false);
            }

            _jobs[job] = (tick, holder, now + lease);
            return Task.FromResult(true);
        }
    }

    public Task<bool> RenewAsync(string job, long tick, string holder, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_jobs)
        {
            if (_jobs.TryGetValue(job, out var current) && current.Tick == tick && current.Holder == holder)
            {
                _jobs[job] = current with { LeaseUntil = time.GetUtcNow() + lease };
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    public Task ReleaseAsync(string job, long tick, string holder, CancellationToken cancellationToken)
    {
        lock (_jobs)
        {
            if (_jobs.TryGetValue(job, out var current) && current.Tick == tick && current.Holder == holder)
            {
                _jobs[job] = current with { LeaseUntil = null };
            }

            return Task.CompletedTask;
        }
    }
}
