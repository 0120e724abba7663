using System.Text.Json;

namespace Tessera.Client;

/// <summary>
/// The live instances of one named service, read from a registry (<c>registry.services</c>) and refreshed every
/// <c>refresh</c>: calls go round robin; an instance that could not be reached is skipped for one refresh period, then
/// tried again.
/// </summary>
internal sealed class ServiceInstances(TesseraClient registry, string name, TimeSpan refresh, TimeProvider time)
{    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly Dictionary<Uri, DateTimeOffset> _failedUntil = [];
    private Uri[] _instances = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private int _next = -1;

    public string Name => name;

    public async Task<Uri> NextAsync(CancellationToken cancellationToken)
    {
        var instances = await CurrentAsync(cancellationToken);
        var now = time.GetUtcNow();
        Uri[] healthy;
        lock (_failedUntil)
        {
            healthy = [.. instances.Where(i => !_failedUntil.TryGetValue(i, out var until) || until <= now)];
        }

        // When every instance failed lately, try them anyway: one may be back.
        var pool = healthy.Length > 0 ? healthy : instances;
        return pool[(int)((uint)Interlocked.Increment(ref _next) % (uint)pool.Length)];
    }

    public async Task<Uri[]> AllAsync(CancellationToken cancellationToken) => await CurrentAsync(cancellationToken);

    public void MarkFailed(Uri instance)
    {
        lock (_failedUntil)
        {
            _failedUntil[instance] = time.GetUtcNow() + refresh;
        }
    }

    private async Task<Uri[]> CurrentAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _readAt < refresh && _instances.Length > 0)
        {
            return _instances;
        }

        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _readAt >= refresh || _instances.Length == 0)
            {
                var services = await registry.InvokeAsync("registry.services", ParameterJson.Empty, null, cancellationToken);
                var found = services.EnumerateArray().FirstOrDefault(s => s.GetProperty("name"u8).GetString() == name);
                var instances = found.ValueKind == JsonValueKind.Object
                    ? found.GetProperty("instances"u8).EnumerateArray().Select(i => new Uri(i.GetProperty("url"u8).GetString()!)).ToArray()
                    : [];
                if (instances.Length == 0)
                {
                    throw new TesseraTransportException($"The registry at {registry.BaseAddress} has no live instance of '{name}'.", requestSent: false);
                }

                _instances = instances;
                _readAt = time.GetUtcNow();
            }

            return _instances;
        }
        finally
        {
            _refreshing.Release();
        }
    }
}
