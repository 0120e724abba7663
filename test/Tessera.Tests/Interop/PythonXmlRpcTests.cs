namespace Tessera.Tests.Interop;

/// <summary>Python's standard xmlrpc.client, which Tessera did not write, against a real Kestrel server.</summary>
public sealed class PythonXmlRpcTests
{
    [NeedsToolFact("python3")]
    public async Task XmlRpcClient_CallsFaultsIntrospectionAndMulticall_AgainstHelloService()
    {
        await using var host = await Hosts.StartHelloServiceAsync(o => o.UseKestrel = true);
        var url = new Uri(host.Http.BaseAddress!, "/RPC2").ToString();

        var (exitCode, output, errors) = await ExternalTool.RunAsync("python3", ["xmlrpc_client.py", url]);

        Assert.True(exitCode == 0, errors);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.Equal(5, report.GetProperty("add").GetInt32());
        Assert.Equal("hello xmlrpc é", report.GetProperty("hello").GetString());
        Assert.Equal("""{"code":4000,"string":"division by zero"}""", Compact(report.GetProperty("divide")));
        Assert.Equal(-32601, report.GetProperty("unknown").GetProperty("code").GetInt32());
        var methods = report.GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains("math.add", methods);
        Assert.Contains("system.multicall", methods);
        Assert.Equal("""[["int","int","int"]]""", Compact(report.GetProperty("signature")));
        Assert.Equal("""[42,"hello multi",{"fault":4000,"string":"division by zero"}]""", Compact(report.GetProperty("multicall")));
        Assert.Equal("[413,413]", Compact(report.GetProperty("oversized")));
        Assert.Equal(2, report.GetProperty("after").GetInt32());
    }

    // Python prints JSON with spaces after separators; compare structure, not spacing.
    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
