using Tessera.Stores;
using Tessera.Stores.Memory;

namespace Tessera.Tests.Stores.Memory;

public sealed class MemoryRegistryTests : ServiceRegistrySpecification
{
    protected override Task<IServiceRegistryStore> CreateRegistryAsync() => Task.FromResult<IServiceRegistryStore>(new MemoryServiceRegistryStore());
}
