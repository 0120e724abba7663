using System.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Tessera.Stores;

namespace Tessera.Hosting;

/// <summary>
/// .NET's multicore JIT for services started by <see cref="TesseraServer"/>: each start records the methods it compiles
/// in a profile in the data directory, and the next start compiles them on another core ahead of the main thread. Most
/// of a start is compiling (HelloService compiles about 1,700 methods before its first answer, 960 when published
/// ReadyToRun); with the profile it answered in 352 and 369 ms instead of 393 and 399, and published ReadyToRun in 302
/// and 310 instead of 319 and 323 (2 cores, two sets of 9 alternating starts). Written where Tessera keeps its other
/// state, so not with <c>--database=memory</c> and no <c>--data_dir</c>.
/// </summary>
internal static class StartupProfile
{
    // Every ASCII character of an address that is not a letter or digit, so the name is a plain file name.
    private static readonly char[] Separators = [.. Enumerable.Range(32, 95).Select(c => (char)c).Where(c => !char.IsAsciiLetterOrDigit(c))];

    /// <summary>Starts recording and, when the last start left a profile, compiling ahead.</summary>
    public static void Start(IConfiguration configuration, IHostEnvironment environment)
    {
        var hosting = new HostingOptions();
        configuration.GetSection(HostingOptions.SectionName).Bind(hosting);
        var storage = new StorageOptions();
        configuration.GetSection(StorageOptions.SectionName).Bind(storage);
        if (!hosting.StartupProfile
            || !StoreSelection.KeepsStateOnDisk(storage)
            || FileName(configuration) is not { } name)
        {
            return;
        }

        var folder = DataDirectory.Resolve(storage, environment);
        if (!Directory.Exists(folder))
        {
            // The runtime writes no profile into a missing folder; the stores create it later in start-up anyway.
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return; // the store reports the folder it cannot use; a start-up profile is not worth a second error
            }
        }

        ProfileOptimization.SetProfileRoot(folder);
        ProfileOptimization.StartProfile(name);
    }

    /// <summary>
    /// The profile's file, one per listening address, since instances sharing a data directory each write theirs as they
    /// exit: named after the addresses (<c>startup-http-127-0-0-1-8888.jitprofile</c>), which are <c>--host</c> and
    /// <c>--port</c>'s unless <c>--urls</c> gives others. None for port 0, a different port at every start.
    /// </summary>
    internal static string? FileName(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        if (string.IsNullOrEmpty(urls))
        {
            var tessera = new TesseraOptions();
            configuration.GetSection(TesseraOptions.SectionName).Bind(tessera);
            urls = $"{tessera.Host}:{tessera.Port}";
        }

        if (urls.Split(';', StringSplitOptions.TrimEntries).Any(url => url.TrimEnd('/').EndsWith(":0", StringComparison.Ordinal)))
        {
            return null;
        }

        var name = string.Join('-', urls.Split(Separators, StringSplitOptions.RemoveEmptyEntries));
        return $"startup-{name[..Math.Min(name.Length, 100)]}.jitprofile";
    }
}
