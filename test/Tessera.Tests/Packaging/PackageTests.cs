using System.IO.Compression;
using System.Net;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace Tessera.Tests.Packaging;

/// <summary>What users get from the package feed: every package complete, and usable from a project of their own.</summary>
[Collection(PackedPackages.Collection)]
public sealed class PackageTests
{
    private static readonly string[] Libraries =
    [
        "Tessera", "Tessera.Testing", "Tessera.Client", "Tessera.PostgreSQL", "Tessera.MySql", "Tessera.Redis",
        "Tessera.Nats", "Tessera.Bson", "Tessera.Mail",
    ];

    [NeedsPackagesFact]
    public void EveryPackage_HasTheOneVersion_AReadme_ALicense_XmlDocs_AndSymbols()
    {
        foreach (var id in Libraries)
        {
            using var package = ZipFile.OpenRead(PackedPackages.Package(id));
            var entries = package.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", entries);
            Assert.Contains($"lib/net10.0/{id}.xml", entries);
            Assert.True(File.Exists(Path.Combine(PackedPackages.Folder, $"{id}.{PackedPackages.Version}.snupkg")), $"{id} has no symbol package");

            var nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
            Assert.Equal(PackedPackages.Version, Field("version"));
            Assert.Equal("MIT", Field("license"));
            Assert.Equal("README.md", Field("readme"));
            Assert.False(string.IsNullOrWhiteSpace(Field("description")), $"{id} has no description");
            foreach (var dependency in metadata.Descendants().Where(e => e.Name.LocalName == "dependency" && e.Attribute("id")!.Value.StartsWith("Tessera", StringComparison.Ordinal)))
            {
                Assert.Equal(PackedPackages.Version, dependency.Attribute("version")!.Value);
            }
        }

        using var tool = ZipFile.OpenRead(PackedPackages.Package("Tessera.Cli"));
        Assert.Contains(tool.Entries, e => e.FullName.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
        using var client = ZipFile.OpenRead(PackedPackages.Package("Tessera.Client"));
        Assert.Contains("analyzers/dotnet/cs/Tessera.Client.Generators.dll", client.Entries.Select(e => e.FullName));
    }

    [NeedsPackagesFact]
    public void EveryAssembly_ComesPrecompiledForLinuxX64_AndKeepsItsIL()
    {
        // src/Precompile.targets: Release builds on Linux x64 ship ReadyToRun code; elsewhere IL only. Either way every
        // method keeps its IL, which the runtime compiles where the precompiled code does not apply.
        var precompiled = RuntimeInformation.RuntimeIdentifier == "linux-x64";
        var assemblies = Libraries.Select(id => (Package: id, Path: $"lib/net10.0/{id}.dll"))
            .Append(("Tessera.Cli", "tools/net10.0/any/Tessera.Cli.dll"))
            .Append(("Tessera.Cli", "tools/net10.0/any/Tessera.Client.dll"));
        foreach (var (id, path) in assemblies)
        {
            using var package = ZipFile.OpenRead(PackedPackages.Package(id));
            using var image = new MemoryStream();
            using (var entry = package.GetEntry(path)?.Open() ?? throw new InvalidOperationException($"{id} has no {path}"))
            {
                entry.CopyTo(image);
            }

            image.Position = 0;
            using var pe = new PEReader(image);
            var nativeCode = pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
            Assert.True(nativeCode == precompiled, $"{path} in {id}: precompiled {nativeCode}, expected {precompiled} on {RuntimeInformation.RuntimeIdentifier}");

            var metadata = pe.GetMetadataReader();
            var bodies = metadata.MethodDefinitions.Select(metadata.GetMethodDefinition).Where(m => m.RelativeVirtualAddress != 0).ToList();
            Assert.NotEmpty(bodies);
            Assert.All(bodies, m => Assert.True(pe.GetMethodBody(m.RelativeVirtualAddress).Size > 0, $"{path}: a method without IL"));
        }
    }

    [NeedsPackagesFact]
    public async Task AProjectOutsideTheRepository_BuildsOnThePackages_AndServesACall()
    {
        var folder = PackedPackages.NewConsumerFolder("tessera-consumer-");
        try
        {
            await PackedPackages.WriteConsumerProjectAsync(folder, ["Tessera", "Tessera.Client"]);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "Program.cs"), """
                using Tessera;
                using Tessera.Client;

                if (args is ["call", var url])
                {
                    // The client package, against the service this same program serves.
                    await using var client = new TesseraClient(new Uri(url));
                    Console.WriteLine(await client.CallAsync<int>("math.add", new { a = 40, b = 2 }));
                    return;
                }

                TesseraServer.Run(args);

                public sealed class MathMethods
                {
                    [Method(AllowGet = true)]
                    public int Add(int a, int b) => a + b;
                }
                """);
            var (built, output, errors) = await ExternalTool.RunAsync("dotnet", ["build", "-c", "Release"], folder.FullName, TimeSpan.FromMinutes(4));
            Assert.True(built == 0, output + errors);
            Assert.DoesNotContain("NETSDK1206", output, StringComparison.Ordinal);

            var dll = Path.Combine(folder.FullName, "bin", "Release", "net10.0", "Consumer.dll");
            var port = ServiceProcess.FreePort();
            await using var service = await ServiceProcess.StartProgramAsync(dll, "/", port, $"--port={port}", "--database=memory");
            using var http = service.Client();
            using var answer = await http.GetAsync(new Uri("/math.add?a=40&b=2", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("""{"result":42}""", await answer.Content.ReadAsStringAsync());

            var (called, callOutput, callErrors) = await ExternalTool.RunAsync("dotnet", [dll, "call", $"http://127.0.0.1:{port}"], folder.FullName);
            Assert.True(called == 0, callOutput + callErrors);
            Assert.Equal("42", callOutput.Trim());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [NeedsPackagesFact]
    public async Task ACompositePublish_KeepsItsIntermediateFilesApart_UnlessTheProjectChoosesItsOwn()
    {
        // The SDK reuses precompiled files it finds in obj/ when only the composite switch changed (dotnet/sdk#55436):
        // a plain ReadyToRun publish after a composite one shipped the composite's stub and the service aborted at
        // start. The package's build/Tessera.props gives a composite publish a folder of its own.
        var folder = PackedPackages.NewConsumerFolder("tessera-composite-");
        try
        {
            await PackedPackages.WriteConsumerProjectAsync(folder, ["Tessera"]);
            var (restored, output, errors) = await ExternalTool.RunAsync("dotnet", ["restore"], folder.FullName, TimeSpan.FromMinutes(4));
            Assert.True(restored == 0, output + errors);

            Assert.Equal("obj/Release/net10.0/linux-x64/", await IntermediateFolder(folder));
            Assert.Equal("obj/Release-composite/net10.0/linux-x64/", await IntermediateFolder(folder, "-p:PublishReadyToRunComposite=true"));
            Assert.Equal("obj/own/", await IntermediateFolder(folder, "-p:PublishReadyToRunComposite=true", "-p:IntermediateOutputPath=obj/own/"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        static async Task<string> IntermediateFolder(DirectoryInfo project, params string[] properties)
        {
            string[] arguments = ["msbuild", "-getProperty:IntermediateOutputPath", "-p:Configuration=Release", "-p:RuntimeIdentifier=linux-x64", .. properties];
            var (exitCode, output, errors) = await ExternalTool.RunAsync("dotnet", arguments, project.FullName, TimeSpan.FromMinutes(2));
            Assert.True(exitCode == 0, output + errors);
            return output.Trim().Replace('\\', '/');
        }
    }
}
