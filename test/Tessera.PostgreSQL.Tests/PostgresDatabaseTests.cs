using Microsoft.Extensions.Options;
using Npgsql;
using Tessera.PostgreSQL;
using Tessera.Stores;

namespace Tessera.PostgreSQL.Tests;

/// <summary>How the stores' pool treats a connection it hands out again, against a real PostgreSQL server.</summary>
[NeedsServer("postgres")]
public sealed class PostgresDatabaseTests
{
    [Fact]
    public async Task PooledConnection_IsReusedWithoutAReset_UnlessTheConnectionStringAsksForOne()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync() + ";Maximum Pool Size=1";

        // One connection in the pool: the second open gets the first's native connection, with what it set still on it
        // unless the pool sent DISCARD ALL in between.
        Assert.Equal("left by the first use", await SecondUseSeesAsync(connectionString));
        Assert.Equal(string.Empty, await SecondUseSeesAsync(connectionString + ";No Reset On Close=false"));
    }

    private static async Task<string> SecondUseSeesAsync(string connectionString)
    {
        await using var database = new PostgresDatabase(Options.Create(new StorageOptions
        {
            Database = "postgres",
            DbConnection = connectionString,
            StoreTimeout = 3,
        }));
        await using (var first = await database.OpenAsync(default))
        {
            await using var set = new NpgsqlCommand("SET application_name = 'left by the first use'", first);
            await set.ExecuteNonQueryAsync();
        }

        await using var second = await database.OpenAsync(default);
        await using var show = new NpgsqlCommand("SHOW application_name", second);
        return (string)(await show.ExecuteScalarAsync())!;
    }
}
