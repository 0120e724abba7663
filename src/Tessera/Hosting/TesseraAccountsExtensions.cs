using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Auth.Accounts;
using Tessera.Auth.Mail;
using Tessera.Auth.Schemes;
using Tessera.Auth.Sessions;
using Tessera.Auth.Signing;
using Tessera.Auth.Throttling;
using Tessera.Auth.Tokens;
using Tessera.Hosting;
using Tessera.Stores;

namespace Tessera;

/// <summary>Turns on accounts, sessions, request signing and HTTP Basic authentication.</summary>
public static class TesseraAccountsExtensions
{
    /// <summary>
    /// Adds the <c>account.create</c>, <c>account.login</c>, <c>account.logout</c> and <c>account.update</c> methods,
    /// sessions, and the stores behind them: one SQLite file by default, memory with <c>--database=memory</c>, or a backend package's.
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

        services.TryAddSingleton(StoreSelection.Accounts);
        services.TryAddSingleton(StoreSelection.Sessions);
        services.TryAddSingleton(StoreSelection.Nonces);

        services.AddDataProtection();
        services.TryAddSingleton<StatelessSessionCodec>();
        services.TryAddSingleton<PasswordHasher>();
        services.TryAddSingleton<AccountPolicy>();
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<TokenService>();
        services.TryAddSingleton<ITokenService>(provider => provider.GetRequiredService<TokenService>());
        services.TryAddSingleton<JwtTokens>();
        services.TryAddSingleton<BearerAuthenticator>();
        services.TryAddSingleton<MailCooldown>();
        services.TryAddSingleton<TwoFactor>();
        services.TryAddSingleton<MailQueue>();
        services.AddHostedService(provider => provider.GetRequiredService<MailQueue>());
        services.TryAddSingleton<RequestSignatures>();
        services.TryAddSingleton<SessionManager>();
        services.TryAddSingleton(provider => new AccountService(
            provider.GetRequiredService<IAccountStore>(),
            provider.GetRequiredService<PasswordHasher>(),
            provider.GetRequiredService<SessionManager>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<AccountPolicy>()));
        services.AddHostedService<SessionCleanupService>();

        builder.Methods.AddType<AccountMethods>();
        builder.Methods.AddType<AccountRecoveryMethods>();
        builder.Methods.AddType<TwoFactorMethods>();
        builder.Methods.AddType<JwtMethods>();
        return builder;
    }

    /// <summary>
    /// Registers the ASP.NET Core authentication scheme <c>Basic</c> (RFC 7617) against Tessera's accounts, for
    /// methods marked <c>[Authorize(AuthenticationSchemes = "Basic")]</c>: each request carries the user id and
    /// password, checked like a sign-in and throttled the same way. Refused over plain HTTP. Turns accounts on.
    /// </summary>
    public static ITesseraBuilder AddBasicAuthentication(this ITesseraBuilder builder, Action<BasicAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddAccounts();
        builder.Services.AddAuthentication().AddScheme<BasicAuthenticationOptions, BasicAuthenticationHandler>(
            BasicAuthenticationHandler.SchemeName, configure ?? (_ => { }));
        return builder;
    }
}
