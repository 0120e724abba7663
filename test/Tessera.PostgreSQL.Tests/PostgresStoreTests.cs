using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.PostgreSQL;
using Tessera.Stores;

namespace Tessera.PostgreSQL.Tests;

/// <summary>The store specification against a real PostgreSQL server, one fresh database per test.</summary>
[NeedsServer("postgres")]
public sealed class PostgresStoreTests : StoreSpecification
{
    private PostgresDatabase? _database;

    internal static async Task<PostgresDatabase> NewDatabaseAsync(PostgresServer? server = null)
    {
        server ??= await PostgresServer.SharedAsync();
        return new PostgresDatabase(Options.Create(new StorageOptions
        {
            Database = "postgres",
            DbConnection = await server.CreateDatabaseAsync(),
            StoreTimeout = 3,
        }));
    }

    protected override async Task<(IAccountStore, ISessionStore, INonceStore, IEventLog)> CreateStoresAsync()
    {
        _database = await NewDatabaseAsync();
        await _database.MigrateAsync(default);
        return (
            new PostgresAccountStore(_database),
            new PostgresSessionStore(_database),
            new PostgresNonceStore(_database, Time),
            new PostgresEventLog(_database, NullLogger<PostgresEventLog>.Instance));
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
