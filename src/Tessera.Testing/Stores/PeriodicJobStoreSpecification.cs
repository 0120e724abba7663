using Tessera.Stores;
using Xunit;

namespace Tessera.Testing;

/// <summary>
/// The contract of a lease store for periodic jobs (<see cref="IPeriodicJobStore"/>), as xunit tests: one holder per
/// tick among many claiming at once, no claim while a live lease is held, no tick run twice, renewals and releases by
/// the holder only, and an expired lease taken over. A backend derives from it and creates its store in
/// <see cref="CreateStoreAsync"/>; lease times are real (a second), because server-side clocks cannot be faked.
/// </summary>
public abstract class PeriodicJobStoreSpecification : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    /// <summary>The store under test.</summary>
    protected IPeriodicJobStore Store { get; private set; } = null!;

    /// <summary>Creates a fresh, empty lease store for one test.</summary>
    protected abstract Task<IPeriodicJobStore> CreateStoreAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Of eight instances claiming the same tick at once, exactly one gets it, on every one of many rounds.</summary>
    [Fact]
    public async Task ManyClaimingOneTick_ExactlyOneHoldsIt_EveryRound()
    {
        for (var tick = 1; tick <= 20; tick++)
        {
            var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Store.TryClaimAsync("sweep", tick, $"instance-{i}", Long, default)));
            Assert.Single(claims, claimed => claimed);
            var holder = $"instance-{Array.IndexOf(claims, true)}";
            await Store.ReleaseAsync("sweep", tick, holder, default);
        }
    }

    /// <summary>A tick already run, or an earlier one, is never claimed again, even after its lease is released.</summary>
    [Fact]
    public async Task RunTick_IsNeverClaimedAgain()
    {
        Assert.True(await Store.TryClaimAsync("sweep", 10, "a", Long, default));
        await Store.ReleaseAsync("sweep", 10, "a", default);

        Assert.False(await Store.TryClaimAsync("sweep", 10, "b", Long, default));
        Assert.False(await Store.TryClaimAsync("sweep", 9, "b", Long, default));
        Assert.True(await Store.TryClaimAsync("sweep", 11, "b", Long, default));
    }

    /// <summary>While a run holds its lease, the next tick is not claimed: an overrunning run is not joined by the next.</summary>
    [Fact]
    public async Task LiveLease_BlocksLaterTicks_UntilReleased()
    {
        Assert.True(await Store.TryClaimAsync("sweep", 1, "a", Long, default));
        Assert.False(await Store.TryClaimAsync("sweep", 2, "b", Long, default));
        Assert.False(await Store.TryClaimAsync("sweep", 3, "a", Long, default));

        await Store.ReleaseAsync("sweep", 1, "a", default);
        Assert.True(await Store.TryClaimAsync("sweep", 3, "b", Long, default));
    }

    /// <summary>Only the holder renews or releases its lease; jobs do not share leases.</summary>
    [Fact]
    public async Task RenewAndRelease_BelongToTheHolder_AndJobsAreIndependent()
    {
        Assert.True(await Store.TryClaimAsync("sweep", 1, "a", Long, default));
        Assert.True(await Store.TryClaimAsync("report", 1, "b", Long, default));

        Assert.True(await Store.RenewAsync("sweep", 1, "a", Long, default));
        Assert.False(await Store.RenewAsync("sweep", 1, "b", Long, default));
        await Store.ReleaseAsync("sweep", 1, "b", default);
        Assert.False(await Store.TryClaimAsync("sweep", 2, "c", Long, default));
    }

    /// <summary>A holder that died stops renewing: once its lease has expired, another instance takes the next tick.</summary>
    [Fact]
    public async Task ExpiredLease_IsTakenOver()
    {
        Assert.True(await Store.TryClaimAsync("sweep", 1, "dead", TimeSpan.FromSeconds(1), default));
        Assert.False(await Store.TryClaimAsync("sweep", 2, "alive", Long, default));

        await Task.Delay(TimeSpan.FromSeconds(1.3));

        Assert.True(await Store.TryClaimAsync("sweep", 3, "alive", Long, default));
        Assert.False(await Store.RenewAsync("sweep", 1, "dead", Long, default));
    }
}
