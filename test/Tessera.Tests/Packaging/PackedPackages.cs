using System.Reflection;

namespace Tessera.Tests.Packaging;

/// <summary>
/// The packages <c>dotnet pack Tessera.slnx -c Release -o artifacts/packages</c> writes (.ci/run does it before the
/// tests), and a scratch project outside the repository that restores from them as a user would after publication.
/// </summary>
internal static class PackedPackages
{
    /// <summary>
    /// The test collection of every test that restores the packed packages. Each first removes Tessera's packages from
    /// the NuGet cache (same version, new contents): two such tests at once would delete the files the other is
    /// compiling against (seen in CI: CS0006, Tessera.dll "could not be found" under ~/.nuget/packages).
    /// </summary>
    public const string Collection = "Packed packages";

    public static string Folder => Path.Combine(ExternalTool.RepositoryRoot, "artifacts", "packages");

    /// <summary>The version every package carries, as the built Tessera assembly states it.</summary>
    public static string Version { get; } =
        typeof(TesseraServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    public static string Package(string id) => Path.Combine(Folder, $"{id}.{Version}.nupkg");

    /// <summary>
    /// A folder outside the repository with a nuget.config that reads the packed packages first, then nuget.org for
    /// their dependencies. Tessera's own packages are removed from the NuGet cache first: same version, new contents.
    /// </summary>
    public static DirectoryInfo NewConsumerFolder(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix);
        File.WriteAllText(Path.Combine(folder.FullName, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="tessera-packed" value="{Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="tessera-packed">
                  <package pattern="Tessera" />
                  <package pattern="Tessera.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        ForgetCachedTesseraPackages();
        return folder;
    }

    /// <summary>Consumer.csproj in <paramref name="folder"/>: a web project on the given packages of this version, warnings as errors.</summary>
    public static Task WriteConsumerProjectAsync(DirectoryInfo folder, IEnumerable<string> packages) =>
        File.WriteAllTextAsync(Path.Combine(folder.FullName, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
            {string.Concat(packages.Select(id => $"    <PackageReference Include=\"{id}\" Version=\"{Version}\" />\n"))}  </ItemGroup>
            </Project>
            """);

    private static void ForgetCachedTesseraPackages()
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (!Directory.Exists(cache))
        {
            return;
        }

        foreach (var package in Directory.GetDirectories(cache, "tessera*"))
        {
            var version = Path.Combine(package, Version);
            if (Directory.Exists(version))
            {
                Directory.Delete(version, recursive: true);
            }
        }
    }
}

/// <summary>A fact that needs the packed packages: skipped with how to make them, unless CI=true (.ci/run packs them).</summary>
public sealed class NeedsPackagesFactAttribute : FactAttribute
{
    public NeedsPackagesFactAttribute()
    {
        if (!File.Exists(PackedPackages.Package("Tessera")) && !ExternalTool.InCi)
        {
            Skip = $"SKIPPED LOUDLY: no packages in {PackedPackages.Folder}; run 'dotnet pack Tessera.slnx -c Release -o artifacts/packages' " +
                "to test them (CI packs them and fails instead of skipping).";
        }
    }
}

/// <summary>Runs the tests that restore the packed packages one at a time (see <see cref="PackedPackages.Collection"/>).</summary>
[CollectionDefinition(PackedPackages.Collection)]
public sealed class PackedPackagesCollection;
