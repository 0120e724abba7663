using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Auth;
using Tessera.Auth.Sessions;
using Tessera.Wires.Toto;

namespace Tessera.Benchmarks;

/// <summary>
/// The load test's authenticated call in process: <c>counter.increment</c> through the Toto envelope (session lookup,
/// account check, a count in the session's state written back with its version) against the same work by hand on a
/// dictionary of sessions keyed by the SHA-256 of their ids, as bench/Baseline does it.
/// </summary>
[MemoryDiagnoser]
public class AuthenticatedBenchmarks
{
    private const string Envelope = """{"method":"counter.increment","parameters":{}}""";

    private readonly ConcurrentDictionary<string, HandSession> _handSessions = new();
    private IServiceProvider _services = null!;
    private TotoEndpoint _toto = null!;
    private string _sessionId = null!;
    private string _handId = null!;

    private sealed record HandSession(string UserId, int Count, long Version);

    /// <summary>The sample service's counter (samples/HelloService/Counter.cs), answering the same record.</summary>
    public sealed class Counter
    {
        [Method]
        [Authenticated]
        public async Task<CountResult> Increment(Session session)
        {
            var count = 0;
            await session.UpdateAsync(s =>
            {
                count = s.Get<int>("count") + 1;
                s.Set("count", count);
            });
            return new CountResult(count);
        }
    }

    /// <summary>What <c>counter.increment</c> answers: <c>{"count": n}</c>.</summary>
    public sealed record CountResult(int Count);

    [GlobalSetup]
    public void Setup()
    {
        _services = Harness.Services(t =>
        {
            t.AddAccounts();
            t.Methods.AddType<Counter>();
        });
        _toto = _services.GetRequiredService<TotoEndpoint>();
        _services.GetRequiredService<AccountService>().CreateAsync("bench", "bench-password-1").GetAwaiter().GetResult();
        var http = new DefaultHttpContext { RequestServices = _services };
        _sessionId = _services.GetRequiredService<SessionManager>().CreateAsync(new Caller(http, Transports.Toto), "bench", default).GetAwaiter().GetResult().Id;

        _handId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _handSessions[Hash(_handId)] = new HandSession("bench", 0, 0);

        // Both must count (1, then 2) before they are timed.
        _ = Answer(Tessera());
        _ = Answer(ByHand());
        var tessera = Answer(Tessera());
        var byHand = Answer(ByHand());
        if (!tessera.Contains("\"result\":{\"count\":2}", StringComparison.Ordinal) || !byHand.Contains("\"result\":{\"count\":2}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Tessera answered {tessera}, by hand {byHand}");
        }

        static string Answer(Task<HttpContext> call)
        {
            call.GetAwaiter().GetResult();
            var second = call.Result;
            return Encoding.UTF8.GetString(((MemoryStream)second.Response.Body).ToArray());
        }
    }

    [Benchmark(Baseline = true, Description = "baseline: authenticated counter by hand")]
    public async Task<HttpContext> ByHand()
    {
        var http = Harness.Post(_services, "/", Envelope);
        http.Request.Headers["x-toto-session-id"] = _handId;
        var id = http.Request.Headers["x-toto-session-id"].ToString();
        using (await JsonDocument.ParseAsync(http.Request.Body))
        {
        }

        var key = Hash(id);
        while (_handSessions.TryGetValue(key, out var session))
        {
            var next = session with { Count = session.Count + 1, Version = session.Version + 1 };
            if (_handSessions.TryUpdate(key, next, session))
            {
                http.Response.ContentType = "application/json; charset=utf-8";
                await using var writer = new Utf8JsonWriter(http.Response.Body);
                writer.WriteStartObject();
                writer.WriteStartObject("result"u8);
                writer.WriteNumber("count"u8, next.Count);
                writer.WriteEndObject();
                writer.WriteEndObject();
                return http;
            }
        }

        http.Response.StatusCode = 401;
        return http;
    }

    [Benchmark(Description = "Tessera: authenticated counter.increment")]
    public async Task<HttpContext> Tessera()
    {
        var http = Harness.Post(_services, "/", Envelope);
        http.Request.Headers["x-toto-session-id"] = _sessionId;
        await _toto.HandleAsync(http);
        return http;
    }

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(id)));
}
