using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Stores;

namespace Tessera.Hosting;

/// <summary>
/// Keeps the Data Protection keys (session cookies, CSRF tokens, one-time links) in <c>&lt;data_dir&gt;/keys</c> under
/// the service's name, so they survive restarts and every instance started on the same folder reads the others'
/// cookies. With the memory store (whose sessions and accounts die with the process anyway) the keys live in the
/// process too: tests and throwaway runs write nothing, neither into a data folder nor into the user's home, and never
/// share keys. Left alone when the application configured a key repository itself.
/// </summary>
internal sealed class DataProtectionKeys(
    IOptions<StorageOptions> storage,
    IOptions<TesseraOptions> tessera,
    IHostEnvironment environment,
    ILoggerFactory loggerFactory) : IConfigureOptions<KeyManagementOptions>, IConfigureOptions<DataProtectionOptions>
{
    private bool Persisted => StoreSelection.KeepsStateOnDisk(storage.Value);

    public void Configure(KeyManagementOptions options)
    {
        if (options.XmlRepository is not null)
        {
            return;
        }

        if (Persisted)
        {
            var folder = Path.Combine(DataDirectory.Resolve(storage.Value, environment), DataDirectory.KeysFolder);
            options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), loggerFactory);
            return;
        }

        // Keys that never leave the process need no encryption at rest; saying so keeps the key manager from warning
        // at every start that they are stored unencrypted.
        options.XmlRepository = new InMemoryKeyRepository();
        options.XmlEncryptor ??= new NullXmlEncryptor();
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
