using System.Text;
using Microsoft.Data.Sqlite;
using Tessera.Stores.Sqlite;

namespace Tessera.Tests.Stores.Sqlite;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("tessera-sqlite-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    private async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.FullName, "tessera.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Migrate_CreatesTheSchemaInWalModeAndRecordsItsVersion()
    {
        await SqliteStoreTests.Database(_directory.FullName).MigrateAsync(default);

        Assert.Equal("wal", await Scalar<string>("PRAGMA journal_mode;"));
        Assert.Equal((long)Tessera.Stores.Sqlite.SqliteMigrations.LatestVersion, await Scalar<long>("SELECT version FROM tessera_schema;"));
        Assert.Equal(4L, await Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('tessera_accounts', 'tessera_sessions', 'tessera_nonces', 'tessera_events');"));
    }

    [Fact]
    public async Task Migrate_Twice_OrFromTwoInstances_IsHarmless()
    {
        await Task.WhenAll(
            SqliteStoreTests.Database(_directory.FullName).MigrateAsync(default),
            SqliteStoreTests.Database(_directory.FullName).MigrateAsync(default));
        await SqliteStoreTests.Database(_directory.FullName).MigrateAsync(default);

        Assert.Equal(1L, await Scalar<long>("SELECT COUNT(*) FROM tessera_schema;"));
    }

    [Fact]
    public async Task Migrate_NewerSchema_RefusesToStart()
    {
        await SqliteStoreTests.Database(_directory.FullName).MigrateAsync(default);
        await Scalar<long>("UPDATE tessera_schema SET version = 99; SELECT 1;");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(
            () => SqliteStoreTests.Database(_directory.FullName).MigrateAsync(default));

        Assert.Contains("schema is at version 99", failure.Message);
    }

    [Fact]
    public async Task DatabaseFile_NeverHoldsASessionIdOrAPasswordInClear()
    {
        var file = Path.Combine(_directory.FullName, "secrets.db");
        string sessionId;
        await using (var host = await AuthHosts.StartAsync(
            o => o.Configuration["Tessera:Storage:DbConnection"] = $"Data Source={file}",
            database: "Sqlite"))
        {
            await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);
            await host.Toto.LoginAsync("ada", AuthHosts.Password);
            await host.Toto.CallAsync("secure.put", new { key = "k", value = 7 });
            sessionId = host.Toto.SessionId!;
            Assert.Equal(7, (await host.Toto.CallAsync("secure.read", new { key = "k" })).Result.GetInt32());
        }

        SqliteConnection.ClearAllPools();
        var bytes = Directory.GetFiles(_directory.FullName, "secrets.db*").SelectMany(File.ReadAllBytes).ToArray();

        Assert.NotEmpty(bytes);
        Assert.True(Contains(bytes, Encoding.UTF8.GetBytes("ada")), "the file should hold the user id, or the search proves nothing");
        Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(sessionId)), "a live session id is in the database file");
        Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(AuthHosts.Password)), "a password is in the database file");
    }

    [Fact]
    public async Task Service_OnSqlite_SurvivesARestartOfTheHost()
    {
        var file = Path.Combine(_directory.FullName, "restart.db");
        Action<TesseraTestHostOptions> options = o => o.Configuration["Tessera:Storage:DbConnection"] = $"Data Source={file}";
        string sessionId;
        await using (var first = await AuthHosts.StartAsync(options, database: "Sqlite"))
        {
            await first.Toto.CreateAccountAsync("ada", AuthHosts.Password);
            await first.Toto.CallAsync("secure.put", new { key = "k", value = 3 });
            sessionId = first.Toto.SessionId!;
        }

        await using var second = await AuthHosts.StartAsync(options, database: "Sqlite");
        second.Toto.SessionId = sessionId;

        Assert.Equal("ada", (await second.Toto.CallAsync("secure.who_am_i")).Result.GetString());
        Assert.Equal(3, (await second.Toto.CallAsync("secure.read", new { key = "k" })).Result.GetInt32());
    }

    [Fact]
    public async Task EveryConnection_NewOrReusedByThePool_SyncsNormallyEnforcesForeignKeysAndWaitsOutABusyFile()
    {
        var database = SqliteStoreTests.Database(_directory.FullName);
        for (var round = 0; round < 4; round++)
        {
            // Several at once, so the pool opens new native connections besides handing back the ones returned.
            var connections = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => database.OpenAsync(default)));
            foreach (var connection in connections)
            {
                Assert.Equal(1L, await Pragma(connection, "synchronous")); // NORMAL
                Assert.Equal(1L, await Pragma(connection, "foreign_keys"));
                Assert.Equal(5000L, await Pragma(connection, "busy_timeout"));
                await connection.DisposeAsync();
            }

            if (round == 1)
            {
                // Every native connection closed: the next rounds get new ones, which must be set up too.
                SqliteConnection.ClearAllPools();
            }
        }

        static async Task<long> Pragma(SqliteConnection connection, string name)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA {name};";
            return (long)(await command.ExecuteScalarAsync())!;
        }
    }

    [Fact]
    public async Task Writes_OfOneProcess_ReachTheFileOneAtATime_AndEveryOneLands()
    {
        // Concurrent writers of one process must not meet at SQLite's write lock, where the driver sleeps 150 ms a try.
        // A writer's turn begins before its statement is bound, so two binds running at once mean two writers at once.
        var database = SqliteStoreTests.Database(_directory.FullName);
        await database.MigrateAsync(default);
        var binding = 0;
        var mostAtOnce = 0;
        for (var round = 0; round < 20; round++)
        {
            var writers = Enumerable.Range(0, 16).Select(writer => Task.Run(() => database.ExecuteAsync(
                "INSERT INTO tessera_nonces (nonce, expires_at) VALUES ($nonce, 0);",
                p =>
                {
                    var atOnce = Interlocked.Increment(ref binding);
                    InterlockedMax(ref mostAtOnce, atOnce);
                    Thread.SpinWait(5_000); // long enough for a second writer on the other core to arrive
                    p.AddWithValue("$nonce", $"{round}/{writer}");
                    Interlocked.Decrement(ref binding);
                },
                default)));
            Assert.All(await Task.WhenAll(writers), inserted => Assert.Equal(1, inserted));
        }

        Assert.Equal(1, mostAtOnce);
        Assert.Equal(320L, await Scalar<long>("SELECT COUNT(*) FROM tessera_nonces;"));

        static void InterlockedMax(ref int target, int value)
        {
            for (var seen = target; value > seen; seen = target)
            {
                if (Interlocked.CompareExchange(ref target, value, seen) == seen)
                {
                    return;
                }
            }
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
