using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Auth;
using Tessera.Auth.Sessions;
using Tessera.Auth.Tokens;
using Tessera.Discovery;
using Tessera.Discovery.Registry;
using Tessera.Dispatch;
using Tessera.Dispatch.Periodic;
using Tessera.Dispatch.RateLimiting;
using Tessera.Events;
using Tessera.Hosting;
using Tessera.Hosting.Explorer;
using Tessera.Hosting.Health;
using Tessera.Observability;
using Tessera.Serialization;
using Tessera.Stores.Sqlite;
using Tessera.Wires.Formats;
using Tessera.Wires.Http;
using Tessera.Wires.JsonRpc;
using Tessera.Wires.MessagePack;
using Tessera.Wires.Sse;
using Tessera.Wires.Toto;
using Tessera.Wires.WebSockets;
using Tessera.Wires.XmlRpc;

namespace Tessera;

/// <summary>Registers Tessera's services.</summary>
public static class TesseraServiceCollectionExtensions
{
    /// <summary>
    /// Adds Tessera. Options set in <paramref name="configure"/> are the lowest layer: the <c>Tessera</c>
    /// configuration section (tessera.json, <c>TESSERA__*</c> variables, the command line) overrides them. Calling it
    /// again returns the same builder.
    /// </summary>
    public static ITesseraBuilder AddTessera(this IServiceCollection services, Action<TesseraOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.FirstOrDefault(d => d.ServiceType == typeof(TesseraBuilder))?.ImplementationInstance
            as TesseraBuilder;
        if (builder is null)
        {
            builder = new TesseraBuilder(services);
            services.AddSingleton(builder);
            AddCoreServices(services, builder);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    private static void AddCoreServices(IServiceCollection services, TesseraBuilder builder)
    {
        BindOptions<TesseraOptions, TesseraOptionsValidator>(services, TesseraOptions.SectionName, static (section, options) => section.Bind(options));
        BindOptions<StorageOptions, StorageOptionsValidator>(services, StorageOptions.SectionName, static (section, options) => section.Bind(options));
        BindOptions<TesseraSessionOptions, SessionOptionsValidator>(services, TesseraSessionOptions.SectionName, static (section, options) => section.Bind(options));
        BindOptions<SecurityOptions, SecurityOptionsValidator>(services, SecurityOptions.SectionName, static (section, options) => section.Bind(options));
        BindOptions<EventOptions, EventOptionsValidator>(services, EventOptions.SectionName, static (section, options) => section.Bind(options));
        services.AddOptions<HostOptions>().Configure<IOptions<TesseraOptions>>((host, tessera) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(tessera.Value.ShutdownTimeoutSeconds));

        services.AddSingleton<IConfigureOptions<LoggerFilterOptions>, SilentRequestDiagnostics>();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TesseraTelemetry>();
        // Tessera's own serializer metadata, made at build time; the service's contexts follow (AddJsonTypeInfoResolver).
        services.AddSingleton(new JsonTypes(AuthJsonContext.Default));
        services.AddSingleton(new JsonTypes(DiscoveryJsonContext.Default));
        services.AddSingleton(new JsonTypes(ExplorerJsonContext.Default));
        services.TryAddSingleton<TesseraJson>();
        services.TryAddSingleton<StoredJson>();
        services.TryAddSingleton<SqliteDatabase>();
        TesseraStoreExtensions.AddBuiltInBackends(services);
        services.AddHostedService<StoreStartupService>();
        services.TryAddSingleton(StoreSelection.EventLog);
        services.TryAddSingleton<EventBus>();
        services.TryAddSingleton<IEventBus>(provider => provider.GetRequiredService<EventBus>());
        services.AddHostedService(provider => provider.GetRequiredService<EventBus>());
        services.TryAddSingleton<ITopicPolicy, DefaultTopicPolicy>();

        services.TryAddSingleton<IApiTokenValidator, HashedApiTokenValidator>();
        services.TryAddSingleton<ICallAuthorizer, CallAuthorizer>();
        services.TryAddSingleton(provider => new MethodRegistryBuilder(
            builder.Methods,
            provider.GetRequiredService<TesseraJson>(),
            provider.GetService<IServiceProviderIsService>(),
            [.. provider.GetServices<IMethodFilter>()],
            sessionsEnabled: provider.GetService<SessionManager>() is not null,
            provider.GetRequiredService<RateLimiters>(),
            provider.GetService<IAuthorizationPolicyProvider>()).Build());
        services.TryAddSingleton<RateLimiters>();
        BindOptions<RateLimitOptions, RateLimitOptionsValidator>(services, RateLimitOptions.SectionName, static (section, options) => section.Bind(options));
        BindOptions<MailOptions, MailOptionsValidator>(services, MailOptions.SectionName, static (section, options) => section.Bind(options));
        services.TryAddSingleton<MethodDispatcher>();
        services.TryAddSingleton<CallRunner>();
        services.TryAddSingleton<SafeVerbs>();
        services.AddDataProtection();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KeyManagementOptions>, DataProtectionKeys>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<DataProtectionOptions>, DataProtectionKeys>());
        BindOptions<HostingOptions, HostingOptionsValidator>(services, HostingOptions.SectionName, static (section, options) => section.Bind(options));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, ProxyHeaders>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ForwardedHeadersOptions>, ProxyHeaders>());
        services.AddHealthChecks();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>, StoreHealthChecks>());
        services.TryAddSingleton<PrometheusExport>();
        services.TryAddSingleton(provider => new CrossSiteGuard(
            provider.GetRequiredService<IOptions<TesseraOptions>>().Value.CorsOrigin.Split(','),
            provider.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()));
        services.TryAddSingleton<ResponseSender>();
        services.TryAddSingleton<HttpWire>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IBodyFormat, MessagePackBodyFormat>());
        services.TryAddSingleton<BodyFormats>();
        services.TryAddSingleton<TotoCors>();
        services.TryAddSingleton<TotoResponseWriter>();
        services.TryAddSingleton<TotoEndpoint>();
        services.TryAddSingleton<JsonRpcWriter>();
        services.TryAddSingleton<JsonRpcEndpoint>();
        services.TryAddSingleton<XmlRpcEndpoint>();
        services.TryAddSingleton<SseStreams>();
        services.TryAddSingleton<SseEndpoint>();
        services.TryAddSingleton<WebSocketEndpoint>();
        services.TryAddSingleton<OpenRpcDocument>();
        services.TryAddSingleton<OpenApiDocument>();
        BindOptions<ExplorerOptions, ExplorerOptionsValidator>(services, ExplorerOptions.SectionName, static (section, options) => section.Bind(options));
        services.TryAddSingleton<MethodMetrics>();
        builder.Methods.AddBuiltIn(typeof(DiscoveryMethods));
        BindOptions<RegistryOptions, RegistryOptionsValidator>(services, RegistryOptions.SectionName, static (section, options) => section.Bind(options));
        services.TryAddSingleton(StoreSelection.Registry);
        services.AddHostedService<RegistryHeartbeat>();
        services.TryAddSingleton(StoreSelection.PeriodicJobs);
        services.AddHostedService(provider => new PeriodicJobRunner(
            PeriodicJobCatalog.Build(builder.Methods, provider.GetServices<PeriodicJob>(), provider.GetService<IConfiguration>()),
            provider,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<TesseraTelemetry>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PeriodicJobRunner>>()));
        builder.Methods.AddBuiltIn(typeof(RegistryMethods));
    }

    // Configuration is applied after every code delegate, so files, variables and arguments win over code. Each caller
    // passes its own bind call on the concrete type so the configuration binding generator writes it (no reflection).
    private static void BindOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(
        IServiceCollection services, string section, Action<IConfigurationSection, TOptions> bind)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>()
            .PostConfigure<IServiceProvider>((options, provider) =>
            {
                if (provider.GetService<IConfiguration>() is { } configuration)
                {
                    bind(configuration.GetSection(section), options);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
