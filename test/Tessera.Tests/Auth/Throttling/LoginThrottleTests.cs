using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tessera.Tests.Auth.Throttling;

/// <summary>
/// Password guessing through real Kestrel: after a few failures each further sign-in must wait, refused with 1014 and
/// <c>Retry-After</c> on every HTTP wire, even with the right password; waits double up to a lock, and are counted per
/// account and per client address (a second loopback address stands in for another client).
/// </summary>
public sealed class LoginThrottleTests
{
    private const string Wrong = "wrong-password-1";

    private static async Task<(TesseraTestHost Host, ManualTimeProvider Time)> StartAsync()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var host = await AuthHosts.StartAsync(o => o.UseKestrel = true, configure: t => t.Services.AddSingleton<TimeProvider>(time));
        return (host, time);
    }

    [Fact]
    public async Task AfterFiveFailures_EvenTheRightPasswordWaits_AndWaitsDouble()
    {
        var (host, time) = await StartAsync();
        await using var _ = host;
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(1005, (await host.Toto.Fresh().LoginAsync("ada", Wrong)).ErrorCode);
        }

        var refused = await host.Toto.Fresh().LoginAsync("ada", AuthHosts.Password);
        Assert.Equal(1014, refused.ErrorCode);
        Assert.Equal("1", refused.Header("Retry-After"));
        Assert.Null(refused.Session);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1005, (await host.Toto.Fresh().LoginAsync("ada", Wrong)).ErrorCode);
        Assert.Equal("2", (await host.Toto.Fresh().LoginAsync("ada", Wrong)).Header("Retry-After"));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1005, (await host.Toto.Fresh().LoginAsync("ada", Wrong)).ErrorCode);
        Assert.Equal("4", (await host.Toto.Fresh().LoginAsync("ada", Wrong)).Header("Retry-After"));

        time.Advance(TimeSpan.FromSeconds(4));
        var right = await host.Toto.Fresh().LoginAsync("ada", AuthHosts.Password);
        Assert.Null(right.ErrorCode);
        Assert.Equal(1005, (await host.Toto.Fresh().LoginAsync("ada", Wrong)).ErrorCode);
    }

    [Fact]
    public async Task AFloodOfSignInsFromOneAddress_IsRefusedAtOnce_PastItsQueue()
    {
        // One hash at a time, two may wait, and a hash slow enough (about half a second here) that 24 sign-ins sent
        // together find the queue full.
        await using var host = await AuthHosts.StartAsync(o =>
        {
            o.UseKestrel = true;
            o.Configuration["Tessera:Security:MaxConcurrentHashes"] = "1";
            o.Configuration["Tessera:Security:MaxQueuedHashesPerClient"] = "2";
            o.Configuration["Tessera:Security:PasswordIterations"] = "1000000";
        });
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);

        var timed = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var answer = await host.Toto.Fresh().LoginAsync("ada", AuthHosts.Password);
            return (answer, clock.Elapsed);
        }));

        var signedIn = timed.Where(t => t.answer.ErrorCode is null).ToList();
        var refused = timed.Where(t => t.answer.ErrorCode == 1014).ToList();
        Assert.Equal(24, signedIn.Count + refused.Count);
        Assert.InRange(signedIn.Count, 3, 21);
        Assert.All(refused, t => Assert.True(int.Parse(t.answer.Header("Retry-After")!) >= 1));
        // Refused without waiting for the hashes ahead: faster than the slowest sign-in that got through.
        Assert.True(refused.Min(t => t.Elapsed) < signedIn.Max(t => t.Elapsed), "a refusal waited behind the flood");
    }

    [Fact]
    public async Task EnoughFailures_ReachALock_OfLoginLockSeconds()
    {
        var (host, time) = await StartAsync();
        await using var _ = host;
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);

        // Each wait is sat out, then guessed wrong again: 5 free failures, then 1 s, 2 s, ... 512 s, then the lock.
        var waits = new List<string>();
        for (var attempt = 0; attempt < 40 && waits.LastOrDefault() != "900"; attempt++)
        {
            var answer = await host.Toto.Fresh().LoginAsync("ada", Wrong);
            if (answer.ErrorCode == 1014)
            {
                waits.Add(answer.Header("Retry-After")!);
                if (waits[^1] != "900")
                {
                    time.Advance(TimeSpan.FromSeconds(int.Parse(waits[^1])));
                }
            }
        }

        Assert.Equal(["1", "2", "4", "8", "16", "32", "64", "128", "256", "512", "900"], waits);
        Assert.Equal(1014, (await host.Toto.Fresh().LoginAsync("ada", AuthHosts.Password)).ErrorCode);
    }

    [Fact]
    public async Task Throttling_IsTheSameOnEveryWire_WithRetryAfter()
    {
        var (host, _) = await StartAsync();
        await using var __ = host;
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);
        for (var i = 0; i < 5; i++)
        {
            await host.Toto.Fresh().LoginAsync("ada", Wrong);
        }

        using var jsonRpc = await host.Http.PostAsync("api", new StringContent(
            $$"""{"jsonrpc":"2.0","method":"account.login","params":{"user_id":"ada","password":"{{AuthHosts.Password}}"},"id":1}""", Encoding.UTF8, "application/json"));
        using var xmlRpc = await host.Http.PostAsync("RPC2", new StringContent(
            $"<?xml version=\"1.0\"?><methodCall><methodName>account.login</methodName><params><param><value><string>ada</string></value></param><param><value><string>{AuthHosts.Password}</string></value></param></params></methodCall>",
            Encoding.UTF8, "text/xml"));

        Assert.Contains("\"code\":1014", await jsonRpc.Content.ReadAsStringAsync());
        Assert.Equal("1", jsonRpc.Headers.RetryAfter?.Delta?.TotalSeconds.ToString());
        Assert.Contains("<int>1014</int>", await xmlRpc.Content.ReadAsStringAsync());
        Assert.Equal("1", xmlRpc.Headers.RetryAfter?.Delta?.TotalSeconds.ToString());
    }

    [Fact]
    public async Task OneAddressGuessingManyAccounts_IsSlowed_WhileAnotherAddressIsNot()
    {
        var (host, _) = await StartAsync();
        await using var __ = host;
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(1005, (await host.Toto.Fresh().LoginAsync($"user{i}", Wrong)).ErrorCode);
        }

        var fromAttacker = await host.Toto.Fresh().LoginAsync("ada", AuthHosts.Password);
        using var otherClient = FromAddress(host, "127.0.0.2");
        var fromElsewhere = await new TotoTestClient(otherClient).LoginAsync("ada", AuthHosts.Password);

        Assert.Equal(1014, fromAttacker.ErrorCode);
        Assert.Null(fromElsewhere.ErrorCode);
    }

    [Fact]
    public async Task SigningIntoOnesOwnAccount_DoesNotResetTheAddressCount()
    {
        var (host, _) = await StartAsync();
        await using var __ = host;
        await host.Toto.CreateAccountAsync("mallory", AuthHosts.Password);
        for (var i = 0; i < 20; i++)
        {
            await host.Toto.Fresh().LoginAsync($"victim{i % 3}", Wrong);
            if (i == 10)
            {
                Assert.Null((await host.Toto.Fresh().LoginAsync("mallory", AuthHosts.Password)).ErrorCode);
            }
        }

        Assert.Equal(1014, (await host.Toto.Fresh().LoginAsync("victim0", Wrong)).ErrorCode);
    }

    /// <summary>An HTTP client whose connections come from <paramref name="address"/> (any 127.x address is loopback).</summary>
    private static HttpClient FromAddress(TesseraTestHost host, string address) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        BaseAddress = host.Http.BaseAddress,
    };
}
