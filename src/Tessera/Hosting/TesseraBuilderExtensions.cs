using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Serialization;

namespace Tessera;

/// <summary>Adds methods, filters and rate limits to a Tessera service.</summary>
public static class TesseraBuilderExtensions
{
    /// <summary>Adds methods: <c>AddMethods(m =&gt; m.Add("math.add", (int a, int b) =&gt; a + b))</c>.</summary>
    public static ITesseraBuilder AddMethods(this ITesseraBuilder builder, Action<MethodCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        configure(builder.Methods);
        return builder;
    }

    /// <summary>
    /// Adds serializer metadata made at build time, usually the service's own <c>JsonSerializerContext</c>
    /// (<c>[JsonSerializable(typeof(Order))] partial class ShopJson : JsonSerializerContext</c>), for the types its
    /// methods take and answer, its event payloads and its session values. Contexts are asked in the order they were
    /// added, after Tessera's own and before reflection. A service published with Native AOT needs one for every such
    /// type that is not a scalar (docs/deployment.md); elsewhere it spares the first call of each method the cost of
    /// describing its types by reflection. The service's naming (<c>ResultNaming</c>) still applies to them.
    /// </summary>
    public static ITesseraBuilder AddJsonTypeInfoResolver(this ITesseraBuilder builder, IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(resolver);
        builder.Services.AddSingleton(new JsonTypes(resolver));
        return builder;
    }

    /// <summary>
    /// Adds a filter that runs around every call. Filters are singletons, built into the dispatch pipeline at
    /// start-up, and run in the order they were added; reach scoped services through
    /// <c>invocation.Call.Services</c>.
    /// </summary>
    public static ITesseraBuilder AddFilter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFilter>(this ITesseraBuilder builder)
        where TFilter : class, IMethodFilter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IMethodFilter, TFilter>());
        return builder;
    }

    /// <summary>Adds a filter instance that runs around every call.</summary>
    public static ITesseraBuilder AddFilter(this ITesseraBuilder builder, IMethodFilter filter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(filter);
        builder.Services.AddSingleton(filter);
        return builder;
    }

    /// <summary>
    /// Adds a periodic job (Atila's <c>maintain</c>): <paramref name="run"/> every <paramref name="period"/>, off the
    /// request path, in a DI scope of its own (<see cref="MethodContext.Services"/>), on one instance at a time when
    /// several share a store. <c>--Tessera:Periodic:NAME=00:00:30</c> changes the period, <c>=off</c> stops the job.
    /// </summary>
    public static ITesseraBuilder AddPeriodicJob(this ITesseraBuilder builder, string name, TimeSpan period, Func<MethodContext, Task> run)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(run);
        builder.Services.AddSingleton(new Dispatch.Periodic.PeriodicJob(name, period, run));
        return builder;
    }

    /// <summary>
    /// Defines the rate-limit policy <paramref name="name"/> that <c>[RateLimit("name")]</c> methods use: at most
    /// <paramref name="permitLimit"/> calls per <paramref name="window"/>, counted per <paramref name="partitionBy"/>.
    /// Configuration (<c>--Tessera:RateLimits:name:PermitLimit=N</c>) overrides what is set here.
    /// </summary>
    public static ITesseraBuilder AddRateLimit(
        this ITesseraBuilder builder, string name, int permitLimit, TimeSpan window, RateLimitScope partitionBy = RateLimitScope.User)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Services.Configure<RateLimitOptions>(policies => policies[name] = new RateLimitPolicy
        {
            PermitLimit = permitLimit,
            Window = (int)Math.Ceiling(window.TotalSeconds),
            PartitionBy = partitionBy,
        });
        return builder;
    }
}
