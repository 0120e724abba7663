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
/// state, so not with <c>--database=memory</c> and no <c>--data_dir</c>; one profile per port, as instances started
/// with <c>--start</c> share the folder and each writes its own as it exits.
/// </summary>
internal static class StartupProfile
{
    /// <summary>Starts recording and, when the last start left a profile, compiling ahead.</summary>
    public static void Start(IConfiguration configuration, IHostEnvironment environment)
    {
        var hosting = new HostingOptions();
        configuration.GetSection(HostingOptions.SectionName).Bind(hosting);
        var storage = new StorageOptions();
        configuration.GetSection(StorageOptions.SectionName).Bind(storage);
        if (!hosting.StartupProfile
            || (string.IsNullOrWhiteSpace(storage.DataDir) && StoreSelection.Normalize(storage.Database) == StoreSelection.Memory))
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

        var tessera = new TesseraOptions();
        configuration.GetSection(TesseraOptions.SectionName).Bind(tessera);
        var name = $"startup-{tessera.Port}.jitprofile";
        ProfileOptimization.SetProfileRoot(folder);
        ProfileOptimization.StartProfile(name);
    }
}
