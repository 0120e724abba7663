namespace Tessera.Hosting;

/// <summary>
/// Where a service started by <see cref="TesseraServer"/> finds its own files (<c>wwwroot</c>, <c>tessera.json</c>,
/// <c>appsettings.json</c>): the working directory when it holds them or a project (<c>dotnet run</c>, or an operator
/// who starts the service from its folder), else the folder of the program itself, so a published service started from
/// anywhere (systemd, cron, another folder) serves its page and reads its configuration instead of silently starting
/// empty. <c>--contentRoot</c> still decides when given.
/// </summary>
internal static class ApplicationFolder
{
    private static readonly string[] Markers = ["tessera.json", "appsettings.json", "wwwroot"];

    public static string? ContentRoot(IReadOnlyList<string> aspNetCoreArguments)
    {
        if (aspNetCoreArguments.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT")))
        {
            return null;
        }

        var working = Environment.CurrentDirectory;
        return HoldsApplication(working) || Directory.EnumerateFiles(working, "*.csproj").Any()
            ? working
            : AppContext.BaseDirectory;
    }

    private static bool HoldsApplication(string folder) =>
        Markers.Any(marker => File.Exists(Path.Combine(folder, marker)) || Directory.Exists(Path.Combine(folder, marker)));
}
