using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.Auth.Accounts;
using Tessera.Auth.Sessions;
using Tessera.Auth.Signing;
using Tessera.Stores;
using Tessera.Stores.Memory;
using Tessera.Stores.Sqlite;

namespace Tessera;

/// <summary>Turns on accounts, sessions and request signing.</summary>
public static class TesseraAccountsExtensions
{
    /// <summary>
    /// Adds the <c>account.create</c>, <c>account.login</c>, <c>account.logout</c> and <c>account.update</c> methods,
    /// sessions, and the stores behind them: one SQLite file by default, or memory with <c>--database=memory</c>.
    /// Methods may then use <c>[Authenticated]</c>, <c>[AnonymousSession]</c>, roles and policies. Idempotent.
    /// </summary>
    public static ITesseraBuilder AddAccounts(this ITesseraBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(SessionManager)))
        {
            return builder;
        }

        services.TryAddSingleton<IAccountStore>(provider => UsesMemory(provider)
            ? new MemoryAccountStore()
            : new SqliteAccountStore(provider.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<ISessionStore>(provider => UsesMemory(provider)
            ? new MemorySessionStore()
            : new SqliteSessionStore(provider.GetRequiredService<SqliteDatabase>()));
        services.TryAddSingleton<INonceStore>(provider => UsesMemory(provider)
            ? new MemoryNonceStore(provider.GetRequiredService<TimeProvider>())
            : new SqliteNonceStore(provider.GetRequiredService<SqliteDatabase>(), provider.GetRequiredService<TimeProvider>()));

        services.AddDataProtection();
        services.TryAddSingleton<StatelessSessionCodec>();
        services.TryAddSingleton<PasswordHasher>();
        services.TryAddSingleton<RequestSignatures>();
        services.TryAddSingleton<SessionManager>();
        services.TryAddSingleton(provider => new AccountService(
            provider.GetRequiredService<IAccountStore>(),
            provider.GetRequiredService<PasswordHasher>(),
            provider.GetRequiredService<SessionManager>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<SessionCleanupService>();
        services.AddAuthorization();

        builder.Methods.AddType<AccountMethods>();
        return builder;
    }

    private static bool UsesMemory(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<StorageOptions>>().Value.Database == DatabaseKind.Memory;
}
