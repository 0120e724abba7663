namespace Tessera.Tests.ScaleOut;

/// <summary>
/// Several HelloService processes sharing one PostgreSQL database, and optionally one Redis for sessions and events:
/// the deployment of docs/scaling.md, minus the load balancer.
/// </summary>
public sealed class ServiceCluster : IAsyncDisposable
{
    private readonly List<ServiceProcess> _instances;

    private ServiceCluster(List<ServiceProcess> instances, string[] arguments)
    {
        _instances = instances;
        Arguments = arguments;
    }

    public IReadOnlyList<ServiceProcess> Instances => _instances;

    /// <summary>The store arguments every instance was started with.</summary>
    public string[] Arguments { get; }

    /// <summary>
    /// Starts <paramref name="count"/> instances on a fresh database; <paramref name="sessionStore"/> is "database" or
    /// "redis" (PostgreSQL holding the accounts), or "mysql" (everything in MariaDB).
    /// </summary>
    public static async Task<ServiceCluster> StartAsync(
        int count, string sessionStore, PostgresServer? postgres = null, RedisServer? redis = null, string[]? extraArguments = null)
    {
        List<string> arguments = [.. await StoreArgumentsAsync(sessionStore, postgres, redis), .. extraArguments ?? []];

        // One at a time, so the first migrates the schema and the others find it done (they would wait on its lock).
        var instances = new List<ServiceProcess>();
        foreach (var _ in Enumerable.Range(0, count))
        {
            instances.Add(await ServiceProcess.StartAsync("HelloService", [.. arguments]));
        }

        return new ServiceCluster(instances, [.. arguments]);
    }

    /// <summary>
    /// The command-line arguments that put a HelloService on a fresh database: <paramref name="sessionStore"/> as in
    /// <see cref="StartAsync"/>.
    /// </summary>
    public static async Task<string[]> StoreArgumentsAsync(string sessionStore, PostgresServer? postgres = null, RedisServer? redis = null)
    {
        List<string> arguments = sessionStore == "mysql"
            ? ["--database=mysql", "--db_connection=" + await (await MariaDbServer.SharedAsync()).CreateDatabaseAsync(), "--store_timeout=2"]
            : ["--database=postgres", "--db_connection=" + await (postgres ?? await PostgresServer.SharedAsync()).CreateDatabaseAsync(), "--store_timeout=2"];
        if (sessionStore == "redis")
        {
            redis ??= await RedisServer.SharedAsync();
            arguments.AddRange(["--session_store=redis", "--redis=" + redis.Configuration, "--redis_prefix=" + RedisServer.NewPrefix()]);
        }

        return [.. arguments];
    }

    /// <summary>A Toto client of instance <paramref name="index"/> carrying <paramref name="sessionId"/>.</summary>
    public TotoTestClient Client(int index, string? sessionId = null) =>
        new(_instances[index].Client()) { SessionId = sessionId };

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }
}
