using Microsoft.Extensions.DependencyInjection;
using Tessera.Hosting;
using Tessera.Stores;
using Tessera.Stores.Sqlite;

namespace Tessera;

/// <summary>Registers store backends by name.</summary>
public static class TesseraStoreExtensions
{
    /// <summary>
    /// Makes <paramref name="backend"/> selectable by configuration. Register its stores as keyed singletons under
    /// <see cref="StoreBackend.Name"/>. Registering the same name twice keeps the first.
    /// </summary>
    public static ITesseraBuilder AddStoreBackend(this ITesseraBuilder builder, StoreBackend backend)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(backend);
        if (backend.Roles == StoreRoles.None || string.IsNullOrWhiteSpace(backend.Name) || backend.Name != backend.Name.ToLowerInvariant())
        {
            throw new ArgumentException("A store backend needs a lower-case name and at least one role.", nameof(backend));
        }

        if (!builder.Services.Any(d => d.ServiceType == typeof(StoreBackend) && (d.ImplementationInstance as StoreBackend)?.Name == backend.Name))
        {
            builder.Services.AddSingleton(backend);
        }

        return builder;
    }

    internal static void AddBuiltInBackends(IServiceCollection services)
    {
        services.AddSingleton(new StoreBackend(StoreSelection.Memory, StoreRoles.Database | StoreRoles.Sessions, "process memory (built in; lost on exit)"));
        services.AddSingleton(new StoreBackend(StoreSelection.Sqlite, StoreRoles.Database | StoreRoles.Sessions, "one SQLite file (built in, the default)"));
        services.AddKeyedSingleton<IStoreProbe>(StoreSelection.Sqlite, (provider, _) => provider.GetRequiredService<SqliteDatabase>());
    }
}
