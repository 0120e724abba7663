using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Stores;

namespace Tessera.Hosting;

/// <summary>
/// Keeps the Data Protection keys (session cookies, CSRF tokens, one-time links) in <c>&lt;data_dir&gt;/keys</c> under
/// the service's name, so they survive restarts and every instance started on the same folder reads the others'
/// cookies. Left alone when the application configured a key repository itself, and with the memory store (whose
/// sessions die with the process anyway), so tests write nothing into a data folder: ASP.NET Core's own default then
/// applies (a key ring under the user's <c>~/.aspnet/DataProtection-Keys</c> when there is a home folder, else one in
/// memory).
/// </summary>
internal sealed class DataProtectionKeys(
    IOptions<StorageOptions> storage,
    IOptions<TesseraOptions> tessera,
    IHostEnvironment environment,
    ILoggerFactory loggerFactory) : IConfigureOptions<KeyManagementOptions>, IConfigureOptions<DataProtectionOptions>
{
    private bool Persisted => !string.IsNullOrWhiteSpace(storage.Value.DataDir)
        || StoreSelection.Normalize(storage.Value.Database) != StoreSelection.Memory;

    public void Configure(KeyManagementOptions options)
    {
        if (options.XmlRepository is null && Persisted)
        {
            var folder = Path.Combine(DataDirectory.Resolve(storage.Value, environment), DataDirectory.KeysFolder);
            options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), loggerFactory);
        }
    }

    /// <summary>
    /// Data Protection isolates applications by content root unless told a name: instances of one service started from
    /// different folders must share it.
    /// </summary>
    public void Configure(DataProtectionOptions options)
    {
        if (string.IsNullOrEmpty(options.ApplicationDiscriminator) && Persisted)
        {
            options.ApplicationDiscriminator = string.IsNullOrWhiteSpace(tessera.Value.ServiceName)
                ? environment.ApplicationName
                : tessera.Value.ServiceName;
        }
    }
}
