namespace Tessera.Stores;

/// <summary>Where registered instances are kept: the store the service already shares with its other instances.</summary>
internal interface IServiceRegistryStore
{
    /// <summary>Records that <paramref name="instance"/> is alive now (adds it, or refreshes its time and methods).</summary>
    Task HeartbeatAsync(ServiceInstance instance, CancellationToken cancellationToken);

    /// <summary>Removes an instance that is shutting down, so callers stop choosing it at once.</summary>
    Task RemoveAsync(string service, string url, CancellationToken cancellationToken);

    /// <summary>Every instance whose last heartbeat came after <paramref name="seenAfter"/>.</summary>
    Task<IReadOnlyList<ServiceInstance>> ListAsync(DateTimeOffset seenAfter, CancellationToken cancellationToken);
}

/// <summary>One running instance of a service.</summary>
internal sealed record ServiceInstance(string Service, string Url, IReadOnlyList<string> Methods, DateTimeOffset LastSeen);
