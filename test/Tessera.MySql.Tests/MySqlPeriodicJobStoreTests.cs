using Tessera.MySql;
using Tessera.Stores;

namespace Tessera.MySql.Tests;

/// <summary>The periodic job lease specification against a real MariaDB server, one fresh database per test.</summary>
[NeedsServer("mariadb")]
public sealed class MySqlPeriodicJobStoreTests : PeriodicJobStoreSpecification
{
    private MySqlDatabase? _database;

    protected override async Task<IPeriodicJobStore> CreateStoreAsync()
    {
        _database = await MySqlStoreTests.NewDatabaseAsync();
        await _database.MigrateAsync(default);
        return new MySqlPeriodicJobStore(_database);
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
