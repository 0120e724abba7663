using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Tessera.Stores;
using Tessera.Stores.Sqlite;

namespace Tessera.Tests.Stores.Sqlite;

/// <summary>The store specification against a real SQLite file in a temporary folder.</summary>
public sealed class SqliteStoreTests : StoreSpecification
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tessera-sqlite-");

    internal static SqliteDatabase Database(string directory, string file = "tessera.db") => new(
        Options.Create(new StorageOptions { DbConnection = $"Data Source={file}" }),
        new HostingEnvironment { ContentRootPath = directory },
        Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

    protected override async Task<(IAccountStore, ISessionStore, INonceStore, IEventLog)> CreateStoresAsync()
    {
        var database = Database(_directory.FullName);
        await database.MigrateAsync(default);
        return (new SqliteAccountStore(database), new SqliteSessionStore(database), new SqliteNonceStore(database, Time), new SqliteEventLog(database));
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
