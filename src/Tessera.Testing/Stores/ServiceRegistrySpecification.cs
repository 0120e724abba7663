using Tessera.Stores;
using Xunit;

namespace Tessera.Testing;

/// <summary>
/// The contract of a registry store (<see cref="IServiceRegistryStore"/>), as xunit tests: heartbeats add and refresh
/// instances, stale ones are left out of the list, removed ones are gone, and the list is ordered. A backend that keeps
/// the registry derives from it and creates its store in <see cref="CreateRegistryAsync"/>.
/// </summary>
public abstract class ServiceRegistrySpecification : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The store under test.</summary>
    protected IServiceRegistryStore Registry { get; private set; } = null!;

    /// <summary>Creates a fresh, empty registry store for one test.</summary>
    protected abstract Task<IServiceRegistryStore> CreateRegistryAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => Registry = await CreateRegistryAsync();

    /// <summary>Releases what <see cref="CreateRegistryAsync"/> made.</summary>
    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Heartbeats add instances; the list is by service, then URL, with each instance's methods.</summary>
    [Fact]
    public async Task Heartbeats_AddInstances_ListedByServiceThenUrl()
    {
        await Registry.HeartbeatAsync(new ServiceInstance("hello", "http://10.0.0.2:8888/", ["math.add"], Now), default);
        await Registry.HeartbeatAsync(new ServiceInstance("hello", "http://10.0.0.1:8888/", ["math.add", "greeting.hello"], Now), default);
        await Registry.HeartbeatAsync(new ServiceInstance("chat", "http://10.0.0.3:8888/", [], Now), default);

        var listed = await Registry.ListAsync(Now.AddSeconds(-15), default);

        Assert.Equal(
            ["chat http://10.0.0.3:8888/", "hello http://10.0.0.1:8888/", "hello http://10.0.0.2:8888/"],
            listed.Select(i => i.Service + " " + i.Url));
        Assert.Equal(["math.add", "greeting.hello"], listed[1].Methods);
        Assert.Equal(Now, listed[1].LastSeen);
    }

    /// <summary>A later heartbeat of the same instance replaces its time and methods; it is not listed twice.</summary>
    [Fact]
    public async Task Heartbeat_Again_RefreshesTheInstance()
    {
        await Registry.HeartbeatAsync(new ServiceInstance("hello", "http://10.0.0.1:8888/", ["math.add"], Now), default);
        await Registry.HeartbeatAsync(new ServiceInstance("hello", "http://10.0.0.1:8888/", ["math.add", "math.divide"], Now.AddSeconds(5)), default);

        var instance = Assert.Single(await Registry.ListAsync(Now, default));

        Assert.Equal(Now.AddSeconds(5), instance.LastSeen);
        Assert.Equal(["math.add", "math.divide"], instance.Methods);
    }

    /// <summary>An instance whose last heartbeat is not after the cut-off is left out (it stopped beating).</summary>
    [Fact]
    public async Task StaleInstances_AreLeftOut()
    {
        await Registry.HeartbeatAsync(new ServiceInstance("hello", "http://old/", [], Now.AddSeconds(-20)), default);
        await Registry.HeartbeatAsync(new ServiceInstance("hello", "http://new/", [], Now), default);

        var listed = await Registry.ListAsync(Now.AddSeconds(-15), default);

        Assert.Equal(["http://new/"], listed.Select(i => i.Url));
    }

    /// <summary>A removed instance is gone at once; removing an unknown one is harmless.</summary>
    [Fact]
    public async Task Remove_TakesTheInstanceOut()
    {
        await Registry.HeartbeatAsync(new ServiceInstance("hello", "http://a/", [], Now), default);
        await Registry.HeartbeatAsync(new ServiceInstance("hello", "http://b/", [], Now), default);

        await Registry.RemoveAsync("hello", "http://a/", default);
        await Registry.RemoveAsync("hello", "http://never-registered/", default);

        Assert.Equal(["http://b/"], (await Registry.ListAsync(Now.AddSeconds(-1), default)).Select(i => i.Url));
    }
}
