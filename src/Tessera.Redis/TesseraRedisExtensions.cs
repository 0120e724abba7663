using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Redis;
using Tessera.Stores;

namespace Tessera;

/// <summary>Makes Redis available for sessions, nonces and events.</summary>
public static class TesseraRedisExtensions
{
    /// <summary>The name that selects this backend in the configuration.</summary>
    public const string BackendName = "redis";

    /// <summary>
    /// Registers the Redis stores. They are used when the configuration says <c>session_store=redis</c> (with
    /// <c>redis</c> the server, <c>host:port</c>): sessions and nonces then live in Redis with expiry and events
    /// cross instances over pub/sub, with a capped log for resuming; accounts stay in the database. Otherwise
    /// nothing changes. Idempotent.
    /// </summary>
    public static ITesseraBuilder AddRedis(this ITesseraBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStoreBackend(new StoreBackend(BackendName, StoreRoles.Sessions, "Redis (Tessera.Redis)"));
        var services = builder.Services;
        services.TryAddSingleton<RedisConnection>();
        services.TryAddKeyedSingleton<IStoreProbe>(BackendName, (provider, _) => provider.GetRequiredService<RedisConnection>());
        services.TryAddKeyedSingleton<ISessionStore>(BackendName, (provider, _) =>
            ActivatorUtilities.CreateInstance<RedisSessionStore>(provider));
        services.TryAddKeyedSingleton<INonceStore>(BackendName, (provider, _) =>
            ActivatorUtilities.CreateInstance<RedisNonceStore>(provider));
        services.TryAddKeyedSingleton<IEventLog>(BackendName, (provider, _) =>
            ActivatorUtilities.CreateInstance<RedisEventLog>(provider));
        return builder;
    }
}
