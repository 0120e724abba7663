using Tessera.Auth;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Auth.Sessions;
using Tessera.Auth.Signing;

namespace Tessera.Benchmarks;

/// <summary>Verifying a request signature in each mode, against computing the same HMAC by hand.</summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private static readonly byte[] Body = """{"method":"greeting.hello","parameters":{"name":"ada"}}"""u8.ToArray();

    private IServiceProvider _services = null!;
    private RequestSignatures _signatures = null!;
    private Session _session = null!;
    private string _key = null!;
    private long _nonce;

    [Params("Legacy", "Toto", "Signed")]
    public string Mode { get; set; } = "Legacy";

    [GlobalSetup]
    public void Setup()
    {
        _services = Harness.Services(t => t.AddAccounts(), new Dictionary<string, string?>
        {
            ["Tessera:Storage:Database"] = "Memory",
            ["Tessera:Security:Hmac"] = Mode,
        });
        _signatures = _services.GetRequiredService<RequestSignatures>();
        _session = _services.GetRequiredService<SessionManager>().CreateAsync(new Caller(new DefaultHttpContext { RequestServices = _services }, Transports.Toto), "ada", default).GetAwaiter().GetResult();
        _key = _session.Record.SigningKey ?? "ada";
    }

    [Benchmark(Baseline = true, Description = "baseline: the HMAC alone")]
    public byte[] ByHand() => Mode == "Signed"
        ? HMACSHA256.HashData(Encoding.UTF8.GetBytes(_key), Body)
        : HMACSHA1.HashData(Encoding.UTF8.GetBytes(_key), Body);

    [Benchmark(Description = "Tessera: verify a signed request")]
    public async Task<bool> Tessera()
    {
        var http = new DefaultHttpContext { RequestServices = _services };
        http.Request.Method = "POST";
        http.Request.Path = "/";
        http.Request.ContentType = "application/json";
        var caller = new Caller(http, Transports.Toto) { RawBody = Body };
        var header = Mode switch
        {
            "Legacy" => Convert.ToBase64String(HMACSHA1.HashData("ada"u8, Body)),
            "Toto" => Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(_key), (byte[])[.. "POST/"u8, .. Body])),
            _ => SignedHeader(http),
        };
        http.Request.Headers["x-toto-hmac"] = header;
        return await _signatures.VerifyAsync(caller, _session, default) is null;
    }

    private string SignedHeader(HttpContext http)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
        var nonce = $"bench-nonce-{Interlocked.Increment(ref _nonce):D12}";
        http.Request.Headers["x-tessera-timestamp"] = timestamp;
        http.Request.Headers["x-tessera-nonce"] = nonce;
        var canonical = RequestSignatures.CanonicalRequest("POST", "/", "", "application/json", _session.Id, timestamp, nonce, Body);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_key), Encoding.UTF8.GetBytes(canonical)));
    }
}
