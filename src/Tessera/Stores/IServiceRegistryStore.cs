namespace Tessera.Stores;

/// <summary>
/// Where <c>--registry=on</c> keeps the running instances of services: the database the instances already share. A
/// store backend implements it and registers it keyed by its name, like its other stores; the
/// <c>ServiceRegistrySpecification</c> tests of Tessera.Testing hold an implementation to the contract.
/// </summary>
public interface IServiceRegistryStore
{
    /// <summary>Records that <paramref name="instance"/> is alive now (adds it, or refreshes its time and methods).</summary>
    Task HeartbeatAsync(ServiceInstance instance, CancellationToken cancellationToken);

    /// <summary>Removes an instance that is shutting down, so callers stop choosing it at once.</summary>
    Task RemoveAsync(string service, string url, CancellationToken cancellationToken);

    /// <summary>Every instance whose last heartbeat came after <paramref name="seenAfter"/>, by service then URL.</summary>
    Task<IReadOnlyList<ServiceInstance>> ListAsync(DateTimeOffset seenAfter, CancellationToken cancellationToken);
}

/// <summary>One running instance of a service.</summary>
/// <param name="Service">The service's name (<c>--service_name</c>).</param>
/// <param name="Url">The URL other services reach it at.</param>
/// <param name="Methods">The methods it serves.</param>
/// <param name="LastSeen">When its last heartbeat was recorded.</param>
public sealed record ServiceInstance(string Service, string Url, IReadOnlyList<string> Methods, DateTimeOffset LastSeen);
