using Microsoft.Data.Sqlite;
using Tessera.Stores;
using Tessera.Stores.Sqlite;

namespace Tessera.Tests.Stores.Sqlite;

/// <summary>The registry specification against a real SQLite file in a temporary folder.</summary>
public sealed class SqliteRegistryTests : ServiceRegistrySpecification
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tessera-sqlite-registry-");

    protected override async Task<IServiceRegistryStore> CreateRegistryAsync()
    {
        var database = SqliteStoreTests.Database(_directory.FullName);
        await database.MigrateAsync(default);
        return new SqliteServiceRegistryStore(database);
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
