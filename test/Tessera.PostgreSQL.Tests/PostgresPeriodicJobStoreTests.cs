using Tessera.PostgreSQL;
using Tessera.Stores;

namespace Tessera.PostgreSQL.Tests;

/// <summary>The periodic job lease specification against a real PostgreSQL server, one fresh database per test.</summary>
[NeedsServer("postgres")]
public sealed class PostgresPeriodicJobStoreTests : PeriodicJobStoreSpecification
{
    private PostgresDatabase? _database;

    protected override async Task<IPeriodicJobStore> CreateStoreAsync()
    {
        _database = await PostgresStoreTests.NewDatabaseAsync();
        await _database.MigrateAsync(default);
        return new PostgresPeriodicJobStore(_database);
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
