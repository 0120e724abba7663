using Microsoft.Extensions.Hosting;

namespace Tessera.Stores;

/// <summary>Where the service keeps its own state: <c>--data_dir</c>, else the content root.</summary>
internal static class DataDirectory
{
    /// <summary>The folder of the Data Protection keys inside the data directory.</summary>
    public const string KeysFolder = "keys";

    public static string Resolve(StorageOptions options, IHostEnvironment environment) =>
        string.IsNullOrWhiteSpace(options.DataDir)
            ? environment.ContentRootPath
            : Path.GetFullPath(options.DataDir, environment.ContentRootPath);
}
