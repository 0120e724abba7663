using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Metrics;
using Tessera.Observability;

namespace Tessera.Hosting;

/// <summary>
/// The <c>Tessera</c> meter (calls, errors, durations, periodic runs) exported in Prometheus text format by
/// OpenTelemetry, for <c>/_tessera/metrics</c>. The meter provider is built only when the endpoint is switched on, so
/// a service without <c>--metrics</c> pays nothing per call; it is the service's own, not one registered in DI, so it
/// never collides with an OpenTelemetry set-up of the application's.
/// </summary>
internal sealed class PrometheusExport(IHostEnvironment environment) : IDisposable
{
    private readonly Lazy<MeterProvider> _provider = new(() => Sdk.CreateMeterProviderBuilder()
        .ConfigureResource(resource => resource.AddService(environment.ApplicationName))
        .AddMeter(TesseraTelemetry.Name)
        .AddPrometheusExporter()
        .Build());

    public MeterProvider Provider => _provider.Value;

    public void Dispose()
    {
        if (_provider.IsValueCreated)
        {
            _provider.Value.Dispose();
        }
    }
}
