using Tessera.Stores;
using Tessera.Stores.Memory;

namespace Tessera.Tests.Stores.Memory;

public sealed class MemoryStoreTests : StoreSpecification
{
    protected override Task<(IAccountStore, ISessionStore, INonceStore, IEventLog)> CreateStoresAsync() =>
        Task.FromResult<(IAccountStore, ISessionStore, INonceStore, IEventLog)>(
            (new MemoryAccountStore(), new MemorySessionStore(), new MemoryNonceStore(Time), new MemoryEventLog()));
}
