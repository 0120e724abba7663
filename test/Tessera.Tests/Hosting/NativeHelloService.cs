namespace Tessera.Tests.Hosting;

/// <summary>
/// HelloService published once with Native AOT, as docs/deployment.md tells a user to, for every test of the class that
/// shares it: the publish takes minutes on two cores, each run of the program a second. Published on first use, so a
/// test skipped for want of clang or of a server publishes nothing; the folder is deleted when the class is done.
/// </summary>
public sealed class NativeHelloService : IDisposable
{
    // Warnings the publish may print: whole assemblies of third-party packages HelloService references (Newtonsoft's
    // BSON reader behind Tessera.Bson; the Redis client, where trimming keeps it), none of Tessera's own code.
    private static readonly string[] ThirdPartyAssemblies = ["StackExchange.Redis", "Newtonsoft.Json"];

    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("tessera-aot-service-");
    private readonly Lazy<Task<string>> _executable;

    public NativeHelloService() => _executable = new Lazy<Task<string>>(PublishAsync);

    /// <summary>The native program's path, after publishing it on the first call.</summary>
    public Task<string> ExecutableAsync() => _executable.Value;

    private async Task<string> PublishAsync()
    {
        var project = Path.Combine(ExternalTool.RepositoryRoot, "samples", "HelloService");
        // Warnings stay warnings here: the third-party ones above would fail this repository's warnings-as-errors.
        var (published, log, errors) = await ExternalTool.RunAsync("dotnet",
            ["publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-p:TreatWarningsAsErrors=false",
                "-p:DebugType=none", "-tl:off", "-o", _output.FullName], timeout: TimeSpan.FromMinutes(10));
        Assert.True(published == 0, log + errors);
        var warnings = log.Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)).Distinct().ToList();
        Assert.All(warnings, w => Assert.Contains(ThirdPartyAssemblies, a => w.Contains($"Assembly '{a}'", StringComparison.Ordinal)));
        return Path.Combine(_output.FullName, "HelloService");
    }

    public void Dispose() => _output.Delete(recursive: true);
}
