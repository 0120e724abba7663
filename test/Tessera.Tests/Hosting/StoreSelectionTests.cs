namespace Tessera.Tests.Hosting;

public sealed class StoreSelectionTests
{
    [Theory]
    [InlineData("Postgres", "Database", "Tessera.PostgreSQL")]
    [InlineData("Sqlite", "Redis", "Tessera.Redis")]
    public async Task BackendWithoutItsPackage_StopsStartUpNamingThePackage(string database, string sessionStore, string package)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(
            o =>
            {
                o.Configuration["Tessera:Storage:DbConnection"] = database == "Postgres" ? "Host=127.0.0.1;Port=1" : "Data Source=:memory:";
                o.Configuration["Tessera:Storage:SessionStore"] = sessionStore;
            },
            database: database));

        Assert.Contains(package, failure.Message);
    }

    [Fact]
    public async Task PostgresWithoutConnectionString_IsRefusedWithAnExample()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(
            configure: t => t.AddPostgreSql(),
            database: "Postgres"));

        Assert.Contains("database=postgres needs db_connection", failure.Message);
    }

    [Fact]
    public async Task UnreachableRedisAtStartUp_StopsStartUpNamingTheServer()
    {
        var port = ServiceProcess.FreePort();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(
            o =>
            {
                o.Configuration["Tessera:Storage:SessionStore"] = "Redis";
                o.Configuration["Tessera:Storage:Redis"] = $"127.0.0.1:{port}";
                o.Configuration["Tessera:Storage:StoreTimeout"] = "1";
            },
            configure: t => t.AddRedis()));

        Assert.Contains($"127.0.0.1:{port}", failure.Message);
    }
}
