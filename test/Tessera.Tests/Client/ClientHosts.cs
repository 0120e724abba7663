using System.Net;
using Tessera.Client;
using Tessera.Testing;

namespace Tessera.Tests.Client;

/// <summary>HelloService on real Kestrel plus the methods the client tests need, and clients pointed at it.</summary>
internal static class ClientHosts
{
    public static Task<TesseraTestHost> StartAsync(Action<TesseraTestHostOptions>? options = null) =>
        TesseraTestHost.StartAsync(
            t =>
            {
                t.AddAccounts().AddBson().Methods.AddAssembly(typeof(HelloService.Greeting).Assembly);
                t.Methods.AddType<ClientProbe>().AddType<InventoryService>();
                t.Services.AddSingleton<ClientProbeState>();
            },
            o =>
            {
                o.UseKestrel = true;
                o.Configuration["Tessera:Storage:Database"] = "Memory";
                options?.Invoke(o);
            });

    public static TesseraClient Client(TesseraTestHost host, Action<TesseraClientOptions>? configure = null, CountingHandler? counter = null)
    {
        var options = new TesseraClientOptions { BaseAddress = host.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(15), RetryDelay = TimeSpan.FromMilliseconds(10) };
        configure?.Invoke(options);
        return counter is null ? new TesseraClient(options) : new TesseraClient(new HttpClient(counter), options);
    }
}

/// <summary>Counts the HTTP requests a client sends, and can rewrite answers (to test answer signatures).</summary>
internal sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _sent;

    public int Sent => _sent;

    public Func<HttpResponseMessage, Task>? OnAnswer { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _sent);
        var response = await base.SendAsync(request, cancellationToken);
        if (OnAnswer is not null)
        {
            await OnAnswer(response);
        }

        return response;
    }
}

public sealed class ClientProbeState
{
    private int _flakyCalls;
    private int _failingCalls;

    public int FlakyCalls => _flakyCalls;

    public int FailingCalls => _failingCalls;

    public int NextFlaky() => Interlocked.Increment(ref _flakyCalls);

    public int NextFailing() => Interlocked.Increment(ref _failingCalls);
}

/// <summary>Methods whose behaviour the client tests control: slow, briefly unavailable storage, a method error.</summary>
public sealed class ClientProbe(ClientProbeState state)
{
    [Method]
    public async Task<string> Slow(int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return "done";
    }

    /// <summary>Storage is unavailable (1013) for the first two calls, then the call succeeds.</summary>
    [Method]
    public int Flaky() => state.NextFlaky() <= 2 ? throw new Tessera.Stores.StoreUnavailableException("test", new TimeoutException("store down for the test")) : state.FlakyCalls;

    /// <summary>Always fails with the method's own error: never worth a retry.</summary>
    [Method]
    public int Failing() => throw new MethodException(4100, $"failed {state.NextFailing()} time(s)");

    [Method]
    [ApiToken]
    public string Private() => "private";
}

/// <summary>A contract whose names exercise every naming rule: a Service suffix, Async suffixes, multi-word names.</summary>
public interface IInventoryService
{
    Task<ItemRecord> GetItemAsync(string itemId, CancellationToken cancellationToken = default);

    Task<int> AddItems(string[] itemNames, int quantityEach);

    Task ResetAsync();

    ValueTask<long> CountAll();

    ValueTask MarkSeen(string itemId);
}

public sealed record ItemRecord(string ItemId, int Quantity, DateTimeOffset CheckedAt);

public sealed class InventoryService : IInventoryService
{
    private static int _count;

    [Method]
    public Task<ItemRecord> GetItemAsync(string itemId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ItemRecord(itemId, 7, new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero)));

    [Method]
    public Task<int> AddItems(string[] itemNames, int quantityEach) => Task.FromResult(Interlocked.Add(ref _count, itemNames.Length * quantityEach));

    [Method]
    public Task ResetAsync()
    {
        Interlocked.Exchange(ref _count, 0);
        return Task.CompletedTask;
    }

    [Method]
    public ValueTask<long> CountAll() => ValueTask.FromResult((long)Volatile.Read(ref _count));

    [Method]
    public ValueTask MarkSeen(string itemId) => ValueTask.CompletedTask;
}
