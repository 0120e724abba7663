using System.Security.Cryptography;
using System.Text;

namespace Tessera.Tests.Wires.JsonRpc;

/// <summary>Sessions, tokens, signing and concurrency apply on JSON-RPC exactly as on the Toto wire.</summary>
public sealed class JsonRpcAccessTests
{
    private const string Token = "gemstone-token";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<TotoResponse> Rpc(TesseraTestHost host, string body, Action<HttpRequestMessage>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api") { Content = Json(body) };
        headers?.Invoke(request);
        return await host.Toto.SendAsync(request);
    }

    [Fact]
    public async Task ApiToken_Missing_IsAccessDenied32001_AndPresent_Works()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token)));
        await using var host = await AuthHosts.StartAsync(o => o.Configuration["Tessera:Security:ApiTokenHashes"] = hash);

        var denied = await Rpc(host, """{"jsonrpc":"2.0","method":"secure.private","id":1}""");
        var allowed = await Rpc(host, """{"jsonrpc":"2.0","method":"secure.private","id":1}""", r => r.Headers.Add("X-Api-Token", Token));

        Assert.Equal("""{"jsonrpc":"2.0","error":{"code":-32001,"message":"Access denied"},"id":1}""", denied.Body);
        Assert.Equal("""{"jsonrpc":"2.0","result":"private","id":1}""", allowed.Body);
    }

    [Fact]
    public async Task Session_FromTheTotoHeader_AuthorizesEachBatchEntry()
    {
        await using var host = await AuthHosts.StartAsync();
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);
        var session = host.Toto.SessionId!;

        var signedIn = await Rpc(host, """[{"jsonrpc":"2.0","method":"secure.who_am_i","id":1},{"jsonrpc":"2.0","method":"secure.staff_only","id":2}]""",
            r => r.Headers.Add("x-toto-session-id", session));
        host.Toto.SessionId = null;
        var anonymous = await Rpc(host, """{"jsonrpc":"2.0","method":"secure.who_am_i","id":3}""");

        var answers = signedIn.Json!.Value.EnumerateArray().ToArray();
        Assert.Equal("ada", answers[0].GetProperty("result").GetString());
        Assert.Equal(1004, answers[1].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("""{"jsonrpc":"2.0","error":{"code":1004,"message":"Not authorized"},"id":3}""", anonymous.Body);
    }

    [Fact]
    public async Task SignedMode_AppliesToJsonRpcToo_SoAStolenSessionIdIsNotEnough()
    {
        await using var host = await AuthHosts.StartAsync(o => o.Configuration["Tessera:Security:Hmac"] = "signed");
        var key = (await host.Toto.CreateAccountAsync("ada", AuthHosts.Password)).Result.GetProperty("key").GetString()!;
        var session = host.Toto.SessionId!;

        var unsigned = await Rpc(host, """{"jsonrpc":"2.0","method":"secure.who_am_i","id":1}""", r => r.Headers.Add("x-toto-session-id", session));
        host.Toto.OnRequest = Signers.Signed(key, session);
        var signedCall = await Rpc(host, """{"jsonrpc":"2.0","method":"secure.who_am_i","id":1}""");

        Assert.Equal(1008, unsigned.Json!.Value.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("ada", signedCall.Json!.Value.GetProperty("result").GetString());
        Assert.NotNull(signedCall.Header("x-toto-hmac"));
    }

    [Fact]
    public async Task Batch_RunsEntriesConcurrently_ButNeverMoreThanTheLimit()
    {
        var running = 0;
        var peak = 0;
        await using var host = await TesseraTestHost.StartAsync(
            t => t.Methods.Add("slow.work", async () =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(50);
                Interlocked.Decrement(ref running);
                return now;
            }),
            o => o.Configuration["Tessera:BatchConcurrency"] = "3");
        var calls = string.Join(",", Enumerable.Range(0, 12).Select(i => $$"""{"jsonrpc":"2.0","method":"slow.work","id":{{i}}}"""));

        var response = await Rpc(host, "[" + calls + "]");

        Assert.Equal(12, response.Json!.Value.GetArrayLength());
        Assert.InRange(peak, 2, 3);
    }

    [Fact]
    public async Task Batch_OfQuickAndWaitingEntries_AnswersInOrder_WithinTheLimit_OverManyRounds()
    {
        // Quick entries finish where they start; waiting ones overlap. Whatever the mix, every answer is in its place
        // and no more than batch_concurrency wait at once.
        var running = 0;
        var peak = 0;
        await using var host = await TesseraTestHost.StartAsync(
            t => t.Methods.Add("mixed.echo", async (int value, int wait) =>
            {
                if (wait == 0)
                {
                    return value;
                }

                InterlockedMax(ref peak, Interlocked.Increment(ref running));
                await Task.Delay(wait);
                Interlocked.Decrement(ref running);
                return value;
            }),
            o => o.Configuration["Tessera:BatchConcurrency"] = "3");

        for (var round = 0; round < 30; round++)
        {
            var waits = Enumerable.Range(0, 16).Select(_ => Random.Shared.Next(3) == 0 ? 0 : Random.Shared.Next(1, 6)).ToArray();
            var calls = string.Join(",", waits.Select((wait, i) => $$"""{"jsonrpc":"2.0","method":"mixed.echo","params":[{{i * 7}},{{wait}}],"id":{{i}}}"""));

            var answers = (await Rpc(host, "[" + calls + "]")).Json!.Value.EnumerateArray().ToArray();

            Assert.Equal(16, answers.Length);
            for (var i = 0; i < 16; i++)
            {
                Assert.Equal(i, answers[i].GetProperty("id").GetInt32());
                Assert.Equal(i * 7, answers[i].GetProperty("result").GetInt32());
            }
        }

        Assert.InRange(peak, 1, 3);
    }

    [Fact]
    public async Task Batch_OfAnonymousSessionEntries_CreatesOneSession()
    {
        await using var host = await AuthHosts.StartAsync();
        var calls = string.Join(",", Enumerable.Range(0, 8).Select(i => $$"""{"jsonrpc":"2.0","method":"secure.visit","id":{{i}}}"""));

        var response = await Rpc(host, "[" + calls + "]");

        Assert.All(response.Json!.Value.EnumerateArray(), r => Assert.Equal("anonymous", r.GetProperty("result").GetString()));
        Assert.Equal(1, await host.Services.GetRequiredService<Tessera.Stores.ISessionStore>().DeleteExpiredAsync(DateTimeOffset.MaxValue, default));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
