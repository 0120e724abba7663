using Microsoft.Extensions.Options;
using Tessera.MySql;
using Tessera.Stores;

namespace Tessera.MySql.Tests;

/// <summary>The store specification against a real MariaDB server the fixture starts, one fresh database per test.</summary>
[NeedsServer("mariadb")]
public sealed class MySqlStoreTests : StoreSpecification
{
    private MySqlDatabase? _database;

    internal static async Task<MySqlDatabase> NewDatabaseAsync()
    {
        var server = await MariaDbServer.SharedAsync();
        return new MySqlDatabase(Options.Create(new StorageOptions
        {
            Database = "mysql",
            DbConnection = await server.CreateDatabaseAsync(),
            StoreTimeout = 3,
        }));
    }

    protected override async Task<(IAccountStore, ISessionStore, INonceStore, IEventLog)> CreateStoresAsync()
    {
        _database = await NewDatabaseAsync();
        await _database.MigrateAsync(default);
        return (
            new MySqlAccountStore(_database),
            new MySqlSessionStore(_database),
            new MySqlNonceStore(_database, Time),
            new MySqlEventLog(_database));
    }

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>What MySQL must do that the specification does not ask of every store.</summary>
public sealed class MySqlSchemaTests
{
    [NeedsServerFact("mariadb")]
    public async Task InstancesStartingTogether_MigrateOnce_AndAllFindTheSchema()
    {
        var server = await MariaDbServer.SharedAsync();
        var connection = await server.CreateDatabaseAsync();
        var databases = Enumerable.Range(0, 5).Select(_ => new MySqlDatabase(Options.Create(new StorageOptions
        {
            Database = "mysql",
            DbConnection = connection,
            StoreTimeout = 10,
        }))).ToList();
        try
        {
            await Task.WhenAll(databases.Select(d => Task.Run(() => d.MigrateAsync(default)))).WaitAsync(TimeSpan.FromSeconds(60));
            var log = new MySqlEventLog(databases[0]);
            var appended = await log.AppendAsync("t", "1", DateTimeOffset.UtcNow, default);

            Assert.Equal(1, appended.Id);
            Assert.Equal(1L, await new MySqlEventLog(databases[4]).LastIdAsync(default));
        }
        finally
        {
            foreach (var database in databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    [NeedsServerFact("mariadb")]
    public async Task ConcurrentAppends_BecomeVisibleInIdOrder_OverManyRounds()
    {
        var database = await MySqlStoreTests.NewDatabaseAsync();
        try
        {
            var log = new MySqlEventLog(database);
            var seen = new List<long>();
            var reading = true;
            var reader = Task.Run(async () =>
            {
                var after = 0L;
                while (Volatile.Read(ref reading) || seen.Count < 400)
                {
                    foreach (var message in await log.ReadAfterAsync(after, 100, default))
                    {
                        seen.Add(message.Id);
                        after = message.Id;
                    }
                }
            });

            await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    await log.AppendAsync($"w{w}", $"{i}", DateTimeOffset.UtcNow, default);
                }
            }))).WaitAsync(TimeSpan.FromSeconds(60));
            Volatile.Write(ref reading, false);
            await reader.WaitAsync(TimeSpan.FromSeconds(60));

            // A reader that resumes after the last id it saw never skips one committed later: it sees 1..400 in order.
            Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), seen);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}
