namespace Tessera.Tests.Interop;

/// <summary>The Node.js jayson JSON-RPC client, which Tessera did not write, against a real Kestrel server.</summary>
public sealed class JaysonClientTests
{
    [NeedsToolFact("node")]
    public async Task Jayson_CallBatchAndNotification_AgainstHelloService()
    {
        await ExternalTool.EnsureNodePackagesAsync();
        await using var host = await Hosts.StartHelloServiceAsync(o => o.UseKestrel = true);
        var url = new Uri(host.Http.BaseAddress!, "/api").ToString();

        var (exitCode, output, errors) = await ExternalTool.RunAsync("node", ["jayson-client.js", url]);

        Assert.True(exitCode == 0, errors);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal("""{"jsonrpc":"2.0","result":42,"id":"call-1"}""", result.GetProperty("call").GetRawText());
        var batch = result.GetProperty("batch").EnumerateArray().ToArray();
        Assert.Equal(4, batch.Length + 1); // the greeting.hello entry with a null id is a notification: no answer
        Assert.Equal("""{"jsonrpc":"2.0","result":3,"id":0}""", batch[0].GetRawText());
        Assert.Equal(4000, batch[1].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("zero", batch[1].GetProperty("id").GetString());
        Assert.Equal(-32601, batch[2].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("no response", result.GetProperty("notification").GetString());
    }
}
