namespace Tessera.Tests.Packaging;

/// <summary>
/// <c>dotnet new install</c> of the packed template pack, then a fresh instance of each template builds on the packed
/// packages and passes its own tests; <c>tessera new</c> does the same. The templates go to a private
/// <c>DOTNET_CLI_HOME</c>, so the machine's own template list is left alone.
/// </summary>
[Collection(PackedPackages.Collection)]
public sealed class TemplateTests
{
    [Fact]
    public void TemplateProjects_ReferenceThePackagesOfThisVersion()
    {
        var content = Path.Combine(ExternalTool.RepositoryRoot, "templates", "content");
        var projects = Directory.GetFiles(content, "*.csproj", SearchOption.AllDirectories);
        Assert.Equal(4, projects.Length);
        foreach (var project in projects)
        {
            var text = File.ReadAllText(project);
            foreach (var reference in System.Text.RegularExpressions.Regex.Matches(text, @"Include=""(Tessera[\w.]*)"" Version=""([^""]+)""").Cast<System.Text.RegularExpressions.Match>())
            {
                Assert.True(reference.Groups[2].Value == PackedPackages.Version,
                    $"{Path.GetRelativePath(content, project)} references {reference.Groups[1].Value} {reference.Groups[2].Value}, not {PackedPackages.Version}");
            }
        }
    }

    [NeedsPackagesFact]
    public async Task DotnetNewTessera_AndTesseraChat_BuildOnThePackages_AndPassTheirTests()
    {
        var folder = PackedPackages.NewConsumerFolder("tessera-templates-");
        try
        {
            var environment = await InstallTemplatesAsync(folder);
            foreach (var (template, name) in new[] { ("tessera", "Acme.Orders"), ("tessera-chat", "Acme.Chat") })
            {
                var (created, output, errors) = await ExternalTool.RunAsync("dotnet",
                    ["new", template, "-n", name, "-o", Path.Combine(folder.FullName, name)], folder.FullName, environment: environment);
                Assert.True(created == 0, output + errors);
                await TestInstanceAsync(Path.Combine(folder.FullName, name), environment);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [NeedsPackagesFact]
    public async Task TesseraNew_CreatesTheSameProject()
    {
        var folder = PackedPackages.NewConsumerFolder("tessera-new-");
        try
        {
            var environment = await InstallTemplatesAsync(folder);
            var (created, output, errors) = await ExternalTool.RunAsync("dotnet",
                [Path.Combine(AppContext.BaseDirectory, "Tessera.Cli.dll"), "new", "Shop"], folder.FullName, environment: environment);
            Assert.True(created == 0, output + errors);
            Assert.True(File.Exists(Path.Combine(folder.FullName, "Shop", "src", "Shop", "GreetingMethods.cs")));
            Assert.Contains("namespace Shop;", await File.ReadAllTextAsync(Path.Combine(folder.FullName, "Shop", "src", "Shop", "GreetingMethods.cs")), StringComparison.Ordinal);
            await TestInstanceAsync(Path.Combine(folder.FullName, "Shop"), environment);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<Dictionary<string, string>> InstallTemplatesAsync(DirectoryInfo folder)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = Path.Combine(folder.FullName, ".home"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            // The user's NuGet cache, where the consumer folder's nuget.config resolves dependencies to.
            ["NUGET_PACKAGES"] = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        var (installed, output, errors) = await ExternalTool.RunAsync("dotnet",
            ["new", "install", PackedPackages.Package("Tessera.Templates")], folder.FullName, environment: environment);
        Assert.True(installed == 0, output + errors);
        return environment;
    }

    private static async Task TestInstanceAsync(string directory, Dictionary<string, string> environment)
    {
        var (tested, output, errors) = await ExternalTool.RunAsync("dotnet", ["test"], directory, TimeSpan.FromMinutes(5), environment);
        Assert.True(tested == 0, output + errors);
        Assert.Matches(@"Passed!\s+- Failed:\s+0, Passed:\s+[1-9]", output);
    }
}
