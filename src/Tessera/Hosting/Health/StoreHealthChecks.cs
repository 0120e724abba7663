using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Tessera.Stores;

namespace Tessera.Hosting.Health;

/// <summary>
/// Adds one readiness check per configured store backend, named after it (<c>postgres</c>, <c>redis</c>, <c>nats</c>):
/// the database, where sessions live and where the event feed comes from. A backend that keeps several of them is
/// checked once. Checks are added when options are built, because which backends are in use is configuration.
/// </summary>
internal sealed class StoreHealthChecks(IServiceProvider services, IOptions<StorageOptions> storage)
    : IConfigureOptions<HealthCheckServiceOptions>
{
    /// <summary>The tag of the checks <c>/_tessera/ready</c> runs (every check the application adds runs there too).</summary>
    public const string StoreTag = "tessera-store";

    public void Configure(HealthCheckServiceOptions options)
    {
        var roles = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Use(string backend, string role)
        {
            if (!roles.TryGetValue(backend, out var list))
            {
                roles[backend] = list = [];
            }

            list.Add(role);
        }

        Use(StoreSelection.DatabaseName(services), "database");
        Use(StoreSelection.SessionBackend(services), "sessions");
        Use(StoreSelection.EventBackend(services), "events");
        var timeout = TimeSpan.FromSeconds(Math.Max(1, storage.Value.StoreTimeout));
        foreach (var (backend, used) in roles)
        {
            if (options.Registrations.Any(r => r.Name == backend))
            {
                continue;
            }

            options.Registrations.Add(new HealthCheckRegistration(
                backend,
                provider => new StoreHealthCheck(provider.GetKeyedService<IStoreProbe>(backend), string.Join(", ", used)),
                HealthStatus.Unhealthy,
                [StoreTag],
                timeout));
        }
    }

    private sealed class StoreHealthCheck(IStoreProbe? probe, string roles) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var data = new Dictionary<string, object> { ["roles"] = roles };
            if (probe is null)
            {
                return HealthCheckResult.Healthy("in process", data);
            }

            try
            {
                await probe.ProbeAsync(cancellationToken);
                return HealthCheckResult.Healthy("reachable", data);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "unreachable", exception, data);
            }
        }
    }
}
