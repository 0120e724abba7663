using Tessera.Testing;
using Tessera.Tests.Hosting;

namespace Tessera.Tests.Client;

/// <summary>
/// Clients built the way users build them: HelloClient published with Native AOT (trimmed; the build fails on any
/// trimming or AOT warning) and run against HelloService, and a project compiled from 'tessera generate csharp' output.
/// </summary>
[Collection(NativeAotPublishes.Collection)]
public sealed class ClientBuildTests
{
    [NeedsToolFact("clang")]
    public async Task NativeAotClient_CallsHelloService_ThroughGeneratedProxies()
    {
        var output = Directory.CreateTempSubdirectory("tessera-aot-");
        try
        {
            var project = Path.Combine(ExternalTool.RepositoryRoot, "samples", "HelloClient");
            var (published, log, errors) = await ExternalTool.RunAsync("dotnet",
                ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output.FullName, "-p:DebugType=none"], timeout: TimeSpan.FromMinutes(5));
            Assert.True(published == 0, log + errors);
            Assert.DoesNotContain("warning", log, StringComparison.OrdinalIgnoreCase);

            await using var host = await ClientHosts.StartAsync();
            var (exitCode, answers, failures) = await ExternalTool.RunAsync(Path.Combine(output.FullName, "HelloClient"), [host.Http.BaseAddress!.ToString()]);

            Assert.True(exitCode == 0, failures);
            Assert.Equal(
                ["math.add(40, 2) = 42", "math.divide(1, 0) failed with 4000: division by zero", "hello native", "math.add by name = 3"],
                answers.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task GeneratedCSharp_Compiles_AndCallsTheService()
    {
        await using var host = await ClientHosts.StartAsync();
        var folder = Directory.CreateTempSubdirectory("tessera-generated-");
        try
        {
            var (generated, _, generateErrors) = await ExternalTool.RunAsync("dotnet",
                [Path.Combine(AppContext.BaseDirectory, "Tessera.Cli.dll"), "generate", "csharp", host.Http.BaseAddress!.ToString(), "-o", folder.FullName, "-n", "Hello.Client"]);
            Assert.True(generated == 0, generateErrors);
            var src = Path.Combine(ExternalTool.RepositoryRoot, "src");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "Generated.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{src}/Tessera.Client/Tessera.Client.csproj" />
                    <ProjectReference Include="{src}/Tessera.Client.Generators/Tessera.Client.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "Program.cs"), """
                using Hello.Client;
                using Tessera.Client;

                await using var client = new TesseraClient(new Uri(args[0]));
                Console.WriteLine(await client.For<IMath>().Add(40, 2));
                Console.WriteLine(await client.For<IGreeting>().Hello("generated"));
                var session = await client.For<IAccount>().Create("gen", "CorrectHorse!Battery7");
                Console.WriteLine(session.UserId);
                Console.WriteLine((await client.For<IClientProbe>().Slow(1)));
                """);

            var (exitCode, output, errors) = await ExternalTool.RunAsync("dotnet", ["run", "--project", folder.FullName, "--", host.Http.BaseAddress!.ToString()],
                workingDirectory: folder.FullName, timeout: TimeSpan.FromMinutes(3));

            Assert.True(exitCode == 0, output + errors);
            Assert.Equal(["42", "hello generated", "gen", "done"], output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
