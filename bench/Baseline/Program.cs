using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

// The load harness's baseline: a plain ASP.NET Core Minimal API doing by hand the work each Tessera scenario does
// (read the same JSON, call the same function, write the same JSON), so the report's ratios show Tessera's overhead.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

static string Hello(string name) => $"hello {name}";

var sessions = new ConcurrentDictionary<string, Session>();

// The Toto envelope: {"method": "greeting.hello", "parameters": {"name": ...}} -> {"result": "hello ..."}
app.MapPost("/", async (HttpContext http) =>
{
    using var body = await JsonDocument.ParseAsync(http.Request.Body);
    var root = body.RootElement;
    if (root.TryGetProperty("batch", out var batch))
    {
        var answers = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var call in batch.EnumerateObject())
        {
            answers[call.Name] = new { result = Hello(call.Value.GetProperty("parameters").GetProperty("name").GetString()!) };
        }

        await http.Response.WriteAsJsonAsync(new { batch = answers });
        return;
    }

    var name = root.GetProperty("parameters").GetProperty("name").GetString()!;
    await http.Response.WriteAsJsonAsync(new { result = Hello(name) });
});

// URL style: GET /greeting/hello?name=...
app.MapGet("/greeting/hello", (string name) => Results.Json(new { result = Hello(name) }));

// JSON-RPC 2.0: {"jsonrpc": "2.0", "method": "greeting.hello", "params": {"name": ...}, "id": 1}
app.MapPost("/api", async (HttpContext http) =>
{
    using var body = await JsonDocument.ParseAsync(http.Request.Body);
    var root = body.RootElement;
    var name = root.GetProperty("params").GetProperty("name").GetString()!;
    await http.Response.WriteAsJsonAsync(new { jsonrpc = "2.0", result = Hello(name), id = root.GetProperty("id").GetInt32() });
});

// An authenticated call: find the session by the SHA-256 of its id, count in its state, write it back with a version check.
app.MapPost("/login", () =>
{
    var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    sessions[Hash(id)] = new Session("bench", 0, 0);
    return Results.Json(new { result = new { session_id = id } });
});
app.MapPost("/counter/increment", (HttpContext http) =>
{
    var id = http.Request.Headers["x-toto-session-id"].ToString();
    var key = Hash(id);
    while (true)
    {
        if (!sessions.TryGetValue(key, out var session))
        {
            return Results.Json(new { error = new { code = 1004, value = "Not authorized" } });
        }

        var next = session with { Count = session.Count + 1, Version = session.Version + 1 };
        if (sessions.TryUpdate(key, next, session))
        {
            return Results.Json(new { result = new { count = next.Count } });
        }
    }
});

app.Run();

static string Hash(string id) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(id)));

internal sealed record Session(string UserId, int Count, long Version);
