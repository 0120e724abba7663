using Tessera.MySql;
using Tessera.Stores;

namespace Tessera.MySql.Tests;

/// <summary>The registry specification against a real MariaDB server, one fresh database per test.</summary>
[NeedsServer("mariadb")]
public sealed class MySqlRegistryTests : ServiceRegistrySpecification
{
    private MySqlDatabase? _database;

    protected override async Task<IServiceRegistryStore> CreateRegistryAsync()
    {
        _database = await MySqlStoreTests.NewDatabaseAsync();
        await _database.MigrateAsync(default);
        return new MySqlServiceRegistryStore(_database);
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
