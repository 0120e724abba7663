namespace Tessera.Stores;

/// <summary>
/// The leases that let one instance among many run each tick of a periodic job. Tick <c>n</c> of a job is the moment
/// <c>n × period</c> after the Unix epoch; an instance may run it only once it has claimed it, which succeeds for one
/// instance at most, and not while another instance still holds the lease of an earlier run (so a run that overruns
/// its period is never joined by the next). A holder renews its lease while it runs and releases it when done; a
/// holder that dies leaves a lease that expires, and the next tick goes to another instance.
/// </summary>
public interface IPeriodicJobStore
{
    /// <summary>Claims <paramref name="tick"/> of <paramref name="job"/> for <paramref name="holder"/> for <paramref name="lease"/>; false when another instance has it, a later tick, or a live lease.</summary>
    Task<bool> TryClaimAsync(string job, long tick, string holder, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends the holder's lease of a running tick; false when it was lost (expired and taken).</summary>
    Task<bool> RenewAsync(string job, long tick, string holder, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Ends the holder's lease of a tick whose run finished.</summary>
    Task ReleaseAsync(string job, long tick, string holder, CancellationToken cancellationToken);
}
