using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Observability;
using Tessera.Stores;

namespace Tessera.Discovery.Registry;

/// <summary>
/// With <c>--registry=on</c>, records this instance (service name, advertised URL, methods) in the shared store once
/// it listens and every heartbeat after, and removes it on shutdown. An instance that stops beating (killed, cut
/// off) drops out of <c>registry.services</c> after three periods.
/// </summary>
internal sealed class RegistryHeartbeat(
    IOptions<RegistryOptions> options,
    OpenRpcDocument description,
    IServiceProvider services,
    IServer server,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<RegistryHeartbeat> logger) : BackgroundService
{
    private readonly RegistryOptions _options = options.Value;
    private string? _url;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        var store = (IServiceRegistryStore)services.GetService(typeof(IServiceRegistryStore))!;
        if (!await Started(stoppingToken))
        {
            return;
        }

        _url = AdvertisedUrl();
        var methods = description.Methods.Select(m => m.Name).ToArray();
        Log.RegistryJoined(logger, description.Name, _url, _options.RegistryHeartbeat);
        using var timer = new PeriodicTimer(_options.Period, time);
        do
        {
            try
            {
                await store.HeartbeatAsync(new ServiceInstance(description.Name, _url, methods, time.GetUtcNow()), stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.RegistryHeartbeatFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_url is not null)
        {
            try
            {
                var store = (IServiceRegistryStore)services.GetService(typeof(IServiceRegistryStore))!;
                await store.RemoveAsync(description.Name, _url, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.RegistryHeartbeatFailed(logger, exception);
            }
        }
    }

    private async Task<bool> Started(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled());
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private string AdvertisedUrl()
    {
        if (_options.AdvertiseUrl.Length > 0)
        {
            return _options.AdvertiseUrl.TrimEnd('/') + "/";
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("--registry=on: the server names no address; give --advertise_url.");
        // A wildcard address is not reachable as such; others on this machine reach it on the loopback.
        return address.Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal)
            .TrimEnd('/') + "/";
    }
}
