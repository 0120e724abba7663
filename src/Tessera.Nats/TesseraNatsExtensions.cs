using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Nats;
using Tessera.Stores;

namespace Tessera;

/// <summary>Makes a NATS JetStream stream available as Tessera's event log.</summary>
public static class TesseraNatsExtensions
{
    /// <summary>The name that selects this backend in the configuration.</summary>
    public const string BackendName = "nats";

    /// <summary>
    /// Registers the NATS event log. It is used when the configuration says <c>events=nats</c> (with <c>nats</c> the
    /// server, <c>nats://host:port</c>): the event log and cross-instance delivery move onto the JetStream stream
    /// <c>nats_stream</c>, while accounts and sessions stay where <c>database</c> and <c>session_store</c> put them.
    /// Otherwise nothing changes. Idempotent.
    /// </summary>
    public static ITesseraBuilder AddNats(this ITesseraBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStoreBackend(new StoreBackend(BackendName, StoreRoles.Events, "NATS JetStream (Tessera.Nats)"));
        builder.Services.TryAddSingleton<NatsEventLog>();
        builder.Services.TryAddKeyedSingleton<IStoreProbe>(BackendName, (provider, _) => provider.GetRequiredService<NatsEventLog>());
        builder.Services.TryAddKeyedSingleton<IEventLog>(BackendName, (provider, _) => provider.GetRequiredService<NatsEventLog>());
        return builder;
    }
}
