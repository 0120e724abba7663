using Tessera.PostgreSQL;
using Tessera.Stores;

namespace Tessera.PostgreSQL.Tests;

/// <summary>The registry specification against a real PostgreSQL server, one fresh database per test.</summary>
[NeedsServer("postgres")]
public sealed class PostgresRegistryTests : ServiceRegistrySpecification
{
    private PostgresDatabase? _database;

    protected override async Task<IServiceRegistryStore> CreateRegistryAsync()
    {
        _database = await PostgresStoreTests.NewDatabaseAsync();
        await _database.MigrateAsync(default);
        return new PostgresServiceRegistryStore(_database);
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
