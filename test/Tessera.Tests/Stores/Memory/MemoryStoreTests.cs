using Tessera.Stores;
using Tessera.Stores.Memory;

namespace Tessera.Tests.Stores.Memory;

public sealed class MemoryStoreTests : StoreSpecification
{
    protected override Task<(IAccountStore, ISessionStore, INonceStore)> CreateStoresAsync() =>
        Task.FromResult<(IAccountStore, ISessionStore, INonceStore)>(
            (new MemoryAccountStore(), new MemorySessionStore(), new MemoryNonceStore(Time)));
}
