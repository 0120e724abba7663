using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.Nats;
using Tessera.Stores;
using Tessera.Stores.Memory;

namespace Tessera.Nats.Tests;

/// <summary>
/// The event specification on a JetStream stream of a private nats-server the fixture starts, one stream per test
/// (accounts, sessions and nonces are the memory stores: NATS keeps only the event log).
/// </summary>
[NeedsServer("nats")]
public sealed class NatsEventLogTests : StoreSpecification
{
    private NatsEventLog? _log;

    internal static async Task<NatsEventLog> NewLogAsync(string? url = null, string? stream = null) =>
        new(
            Options.Create(new StorageOptions { Nats = url ?? (await NatsServer.SharedAsync()).Url, NatsStream = stream ?? NatsServer.NewStream(), StoreTimeout = 3 }),
            Options.Create(new EventOptions()),
            NullLogger<NatsEventLog>.Instance);

    protected override async Task<(IAccountStore, ISessionStore, INonceStore, IEventLog)> CreateStoresAsync()
    {
        _log = await NewLogAsync();
        await _log.PrepareAsync(default);
        return (new MemoryAccountStore(), new MemorySessionStore(), new MemoryNonceStore(Time), _log);
    }

    public override async Task DisposeAsync()
    {
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }
}
