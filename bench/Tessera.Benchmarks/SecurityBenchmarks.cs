using Tessera.Auth;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Auth.Sessions;
using Tessera.Stores;

namespace Tessera.Benchmarks;

/// <summary>A session lookup on each store, against finding the record by hand.</summary>
[MemoryDiagnoser]
public class SessionLookupBenchmarks
{
    private IServiceProvider _services = null!;
    private SessionManager _sessions = null!;
    private ISessionStore _store = null!;
    private string _id = null!;

    [Params("Memory", "Sqlite")]
    public string Database { get; set; } = "Memory";

    [GlobalSetup]
    public void Setup()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tessera-bench-{Guid.NewGuid():N}.db");
        _services = Harness.Services(t => t.AddAccounts(), new Dictionary<string, string?>
        {
            ["Tessera:Storage:Database"] = Database,
            ["Tessera:Storage:DbConnection"] = $"Data Source={file}",
        });
        _sessions = _services.GetRequiredService<SessionManager>();
        _store = _services.GetRequiredService<ISessionStore>();
        var http = new DefaultHttpContext { RequestServices = _services };
        _id = _sessions.CreateAsync(new Caller(http, Transports.Toto), "bench", default).GetAwaiter().GetResult().Id;
    }

    [Benchmark(Baseline = true, Description = "baseline: store lookup by hash")]
    public Task<SessionRecord?> ByHand() => _store.FindAsync(SHA256.HashData(Encoding.ASCII.GetBytes(_id)), default);

    [Benchmark(Description = "Tessera: SessionManager.LoadAsync")]
    public async Task<Session?> Tessera()
    {
        var http = new DefaultHttpContext { RequestServices = _services };
        http.Request.Headers["x-toto-session-id"] = _id;
        return (await _sessions.LoadAsync(new Caller(http, Transports.Toto), default)).Session;
    }
}
