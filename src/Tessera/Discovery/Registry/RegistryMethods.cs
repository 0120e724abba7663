using Microsoft.Extensions.Options;
using Tessera.Stores;

namespace Tessera.Discovery.Registry;

/// <summary><c>registry.services</c>: every service with live instances in the shared store, and their methods.</summary>
internal sealed class RegistryMethods(IOptions<RegistryOptions> options, IServiceProvider services, TimeProvider time)
{
    private const int MissedHeartbeats = 3;

    [Method("registry.services", AllowGet = true)]
    public async Task<IReadOnlyList<RegisteredService>> Services(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            throw new MethodException(ErrorCodes.MethodNotFound, "This service keeps no registry: start it with --registry=on.");
        }

        var store = (IServiceRegistryStore)services.GetService(typeof(IServiceRegistryStore))!;
        var live = await store.ListAsync(time.GetUtcNow() - options.Value.Period * MissedHeartbeats, cancellationToken);
        return [.. live.GroupBy(i => i.Service, StringComparer.Ordinal)
            .Select(group => new RegisteredService(group.Key, [.. group.Select(i => new RegisteredInstance(i.Url, i.LastSeen, i.Methods))]))];
    }
}

internal sealed record RegisteredService(string Name, IReadOnlyList<RegisteredInstance> Instances);

internal sealed record RegisteredInstance(string Url, DateTimeOffset LastSeen, IReadOnlyList<string> Methods);
