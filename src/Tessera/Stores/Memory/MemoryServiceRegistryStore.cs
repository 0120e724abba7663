using System.Collections.Concurrent;

namespace Tessera.Stores.Memory;

/// <summary>Registered instances in this process only: for tests and single-process use.</summary>
internal sealed class MemoryServiceRegistryStore : IServiceRegistryStore
{
    private readonly ConcurrentDictionary<(string Service, string Url), ServiceInstance> _instances = new();

    public Task HeartbeatAsync(ServiceInstance instance, CancellationToken cancellationToken)
    {
        _instances[(instance.Service, instance.Url)] = instance;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string service, string url, CancellationToken cancellationToken)
    {
        _instances.TryRemove((service, url), out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ServiceInstance>> ListAsync(DateTimeOffset seenAfter, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServiceInstance>>([.. _instances.Values.Where(i => i.LastSeen > seenAfter)
            .OrderBy(i => i.Service, StringComparer.Ordinal).ThenBy(i => i.Url, StringComparer.Ordinal)]);
}
