namespace Tessera.Tests.Interop;

/// <summary>
/// The seeds' own JSON-RPC clients against real Kestrel: jsonrpclib-pelix itself (Debian's python3-jsonrpclib-pelix,
/// which Atila's documentation installs), and a client that reads answers exactly as gemstone 0.12's RemoteService does.
/// </summary>
public sealed class PythonJsonRpcClientTests
{
    /// <summary>Debian's package installs for Debian's own interpreter, not for a python3 earlier on PATH.</summary>
    private const string DebianPython = "/usr/bin/python3";

    [NeedsFileFact("/usr/lib/python3/dist-packages/jsonrpclib/__init__.py", "apt-get install python3-jsonrpclib-pelix")]
    public async Task JsonRpcLibPelix_CallsErrorsNotificationAndMultiCall_WithItsDefaults()
    {
        await using var host = await Hosts.StartHelloServiceAsync(o => o.UseKestrel = true);
        var url = new Uri(host.Http.BaseAddress!, "/api").ToString();

        var (exitCode, output, errors) = await ExternalTool.RunAsync(DebianPython, ["jsonrpclib_client.py", url, "pelix", AuthHosts.Password]);

        Assert.True(exitCode == 0, errors);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.Equal(42, report.GetProperty("positional").GetInt32());
        Assert.Equal(3, report.GetProperty("named").GetInt32());
        Assert.Equal("""{"code":4000,"message":"division by zero"}""", Compact(report.GetProperty("error")));
        Assert.Equal(-32601, report.GetProperty("unknown").GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("notify").ValueKind);
        Assert.Equal(2, report.GetProperty("count_after_notify").GetInt32());
        Assert.Equal("""[3,"hello batch",{"code":4000}]""", Compact(report.GetProperty("multicall")));
    }

    [NeedsToolFact("python3")]
    public async Task GemstoneRemoteServiceReader_GetsBothMembers_InSinglesErrorsAndBatches()
    {
        await using var host = await Hosts.StartHelloServiceAsync(o => o.UseKestrel = true);
        var url = new Uri(host.Http.BaseAddress!, "/api").ToString();

        var (exitCode, output, errors) = await ExternalTool.RunAsync("python3", ["gemstone_client.py", url]);

        Assert.True(exitCode == 0, errors);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.True(report.GetProperty("specs_has_math_add").GetBoolean());
        Assert.Equal(42, report.GetProperty("positional").GetInt32());
        Assert.Equal(3, report.GetProperty("named").GetInt32());
        Assert.Equal("""{"error":4000}""", Compact(report.GetProperty("error")));
        Assert.Equal("""{"status":200,"body":""}""", Compact(report.GetProperty("notification")));
        Assert.Equal("""[{"id":5,"result":3,"error":null},{"id":6,"result":null,"error":4000}]""", Compact(report.GetProperty("batch")));
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
