namespace Tessera.Tests.Hosting;

public sealed class StoreSelectionTests
{
    [Theory]
    [InlineData("Postgres", "Database", "--database=postgres: no store backend of that name is registered; registered: memory (", "AddPostgreSql()")]
    [InlineData("Sqlite", "Redis", "--session_store=redis: no store backend of that name is registered; registered: memory (", "AddRedis()")]
    [InlineData("oracle", "Database", "--database=oracle: no store backend of that name is registered; registered: memory (", "sqlite (")]
    public async Task UnknownBackend_StopsStartUpListingTheRegisteredOnes(string database, string sessionStore, string message, string hint)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(
            o =>
            {
                o.Configuration["Tessera:Storage:DbConnection"] = database == "Postgres" ? "Host=127.0.0.1;Port=1" : "Data Source=:memory:";
                o.Configuration["Tessera:Storage:SessionStore"] = sessionStore;
            },
            database: database));

        Assert.Contains(message, failure.Message);
        Assert.Contains(hint, failure.Message);
    }

    [Fact]
    public async Task EventsOnABackendNoPackageRegistered_StopsStartUp_NamingTheOption()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(o => o.Configuration["Tessera:Storage:Events"] = "nats"));

        Assert.Contains("--events=nats: no store backend of that name is registered", failure.Message);
    }

    [Fact]
    public async Task NatsAsTheDatabase_IsRefused_BecauseItKeepsOnlyEvents()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(configure: t => t.AddNats(), database: "nats"));

        Assert.Contains("--database=nats: NATS JetStream (Tessera.Nats) cannot keep accounts.", failure.Message);
    }

    [Fact]
    public async Task RedisAsTheDatabase_IsRefused_BecauseItKeepsNoAccounts()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(configure: t => t.AddRedis(), database: "redis"));

        Assert.Contains("--database=redis: Redis (Tessera.Redis) cannot keep accounts.", failure.Message);
    }

    [Fact]
    public async Task PostgresWithoutConnectionString_IsRefusedWithAnExample()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AuthHosts.StartAsync(
            configure: t => t.AddPostgreSql(),
            database: "Postgres"));

        Assert.Contains("--database=postgres needs --db_connection", failure.Message);
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
