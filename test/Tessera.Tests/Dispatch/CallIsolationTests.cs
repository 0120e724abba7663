using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Tessera.Tests.Dispatch;

/// <summary>
/// Each entry of a batch is a call of its own, whether it finishes at once or has to wait: what one sets in its
/// execution context, its span and its DI scope end with it.
/// </summary>
public sealed class CallIsolationTests
{
    private static readonly AsyncLocal<string?> Ambient = new();

    /// <summary>A scoped service that remembers which instances were disposed.</summary>
    private sealed class EntryScoped : IDisposable
    {
        private static int _next;
        private static int _last;

        public EntryScoped() => Volatile.Write(ref _last, Id);

        public static ConcurrentBag<int> Disposed { get; } = [];

        /// <summary>Whether the instance made last has been disposed.</summary>
        public static bool LastDisposed => Disposed.Contains(Volatile.Read(ref _last));

        public int Id { get; } = Interlocked.Increment(ref _next);

        public void Dispose() => Disposed.Add(Id);
    }

    private static Task<TesseraTestHost> StartAsync() => Hosts.StartAsync(t =>
    {
        t.Services.AddScoped<EntryScoped>();
        t.Methods.Add("iso.set", (string value) => Ambient.Value = value);
        t.Methods.Add("iso.set_later", async (string value) =>
        {
            Ambient.Value = value;
            await Task.Yield();
            return value;
        });
        t.Methods.Add("iso.get", () => Ambient.Value);
        t.Methods.Add("iso.scoped", (EntryScoped scoped) => scoped.Id);
        t.Methods.Add("iso.last_disposed", () => EntryScoped.LastDisposed);
    });

    [Theory]
    [InlineData("iso.set")]
    [InlineData("iso.set_later")]
    public async Task TotoBatch_AnAsyncLocalSetByOneEntry_IsNotSeenByTheNext(string setter)
    {
        await using var host = await StartAsync();

        var response = await host.Toto.BatchAsync([("a", setter, new { value = "leaked" }), ("b", "iso.get", null)]);

        var batch = response.Json!.Value.GetProperty("batch");
        Assert.Equal("leaked", batch.GetProperty("a").GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, batch.GetProperty("b").GetProperty("result").ValueKind);
    }

    [Theory]
    [InlineData("iso.set")]
    [InlineData("iso.set_later")]
    public async Task JsonRpcBatch_AnAsyncLocalSetByOneEntry_IsNotSeenByTheNext(string setter)
    {
        await using var host = await StartAsync();
        var body = $$"""[{"jsonrpc":"2.0","method":"{{setter}}","params":{"value":"leaked"},"id":1},{"jsonrpc":"2.0","method":"iso.get","id":2}]""";

        using var response = await host.Http.PostAsync("/api", new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")));

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var answers = answer.RootElement.EnumerateArray().ToDictionary(a => a.GetProperty("id").GetInt32(), a => a.GetProperty("result"));
        Assert.Equal("leaked", answers[1].GetString());
        Assert.Equal(JsonValueKind.Null, answers[2].ValueKind);
    }

    [Fact]
    public async Task TotoBatch_EachEntryHasItsOwnScope_DisposedBeforeTheNextRuns()
    {
        await using var host = await StartAsync();

        var response = await host.Toto.BatchAsync([("a", "iso.scoped", null), ("b", "iso.scoped", null), ("c", "iso.last_disposed", null)]);

        var batch = response.Json!.Value.GetProperty("batch");
        Assert.NotEqual(batch.GetProperty("a").GetProperty("result").GetInt32(), batch.GetProperty("b").GetProperty("result").GetInt32());
        Assert.True(batch.GetProperty("c").GetProperty("result").GetBoolean());
    }

    [Fact]
    public async Task Batch_EntriesSpans_AreSiblings_WhenAnEntryWaits()
    {
        using var spans = new TesseraSpans();
        await using var host = await StartAsync();

        var response = await host.Toto.BatchAsync([("a", "iso.set_later", new { value = "x" }), ("b", "iso.get", null), ("c", "iso.set", new { value = "y" })]);

        Assert.Equal(200, response.StatusCode);
        var ours = spans.Stopped.Where(s => s.DisplayName.StartsWith("iso.", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, ours.Length);
        Assert.All(ours, s => Assert.DoesNotContain(ours, other => other.SpanId == s.ParentSpanId));
        Assert.Single(ours.Select(s => s.ParentSpanId).Distinct());
    }
}
