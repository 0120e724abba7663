using System.Collections.Frozen;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Dispatch.Binding;

namespace Tessera.Dispatch;

/// <summary>
/// Turns a <see cref="MethodCollection"/> into the immutable <see cref="MethodRegistry"/>: discovers methods, names
/// them, plans their binders, and reports every problem at once, naming the method and the fix. Invokers, class
/// factories and result metadata are compiled by each method's first call (see <see cref="MethodInvokerFactory"/>).
/// </summary>
internal sealed class MethodRegistryBuilder(
    MethodCollection collection,
    TesseraJson json,
    IServiceProviderIsService? services,
    IReadOnlyList<IMethodFilter> filters,
    bool sessionsEnabled,
    RateLimiting.RateLimiters? rateLimiters = null,
    IAuthorizationPolicyProvider? authorization = null)
{
    private readonly ParameterDescriptorFactory _parameters = new(json, services);
    private readonly Dictionary<string, MethodDescriptor> _methods = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    public MethodRegistry Build()
    {
        foreach (var type in collection.BuiltIns)
        {
            AddType(type, builtIn: true);
        }

        foreach (var type in DiscoverTypes())
        {
            AddType(type, builtIn: false);
        }

        foreach (var (name, handler) in collection.Delegates)
        {
            Add(name, handler.Method, handler, builtIn: false);
        }

        if (_problems.Count > 0)
        {
            throw new InvalidOperationException(
                "Tessera cannot start: its methods are not valid." + Environment.NewLine + "  - "
                + string.Join(Environment.NewLine + "  - ", _problems));
        }

        foreach (var method in _methods.Values)
        {
            method.Seal(FilterPipeline.Build(method, filters));
        }

        collection.Seal();
        return new MethodRegistry(_methods.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private IEnumerable<Type> DiscoverTypes()
    {
        var assemblies = new List<Assembly>(collection.Assemblies);
        if (collection.ScanEntryAssembly && Assembly.GetEntryAssembly() is { } entry && !assemblies.Contains(entry))
        {
            assemblies.Add(entry);
        }

        var seen = new HashSet<Type>();
        foreach (var type in collection.Types.Concat(assemblies.SelectMany(LoadableTypes)))
        {
            if (type.IsClass && !type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) && seen.Add(type))
            {
                yield return type;
            }
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimmingNotes.ServiceCodeKept)]
    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            return exception.Types.OfType<Type>();
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimmingNotes.ServiceCodeKept)]
    private void AddType(Type type, bool builtIn)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
            | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(all))
        {
            if (method.GetCustomAttribute<MethodAttribute>() is not { } attribute)
            {
                continue;
            }

            var where = $"{type.Name}.{method.Name}";
            if (!method.IsPublic)
            {
                _problems.Add($"{where} has [Method] but is not public; make it public.");
            }
            else if (method.IsGenericMethodDefinition || type.ContainsGenericParameters)
            {
                _problems.Add($"{where} is generic; a wire call cannot choose type arguments. Remove the type parameters.");
            }
            else if (!method.IsStatic && type.IsAbstract)
            {
                _problems.Add($"{where} is an instance method of an abstract class; make it static or the class concrete.");
            }
            else
            {
                Add(attribute.Name ?? MethodNaming.ConventionalName(type, method.Name), method, handler: null, builtIn);
            }
        }
    }

    private void Add(string name, MethodInfo method, Delegate? handler, bool builtIn)
    {
        var signature = handler is null ? MethodNaming.Describe(method) : $"delegate {DescribeDelegate(method)}";
        if (!MethodNaming.IsValidName(name))
        {
            _problems.Add($"'{name}' ({signature}) is not a valid method name: use letters, digits and '_' in " +
                "dot-separated parts, e.g. [Method(\"billing.create_invoice\")].");
            return;
        }

        if (!builtIn && MethodNaming.ReservedPrefixOf(name) is { } reserved)
        {
            _problems.Add($"'{name}' ({signature}) starts with '{reserved}', which is reserved for Tessera's own " +
                "endpoints and protocol methods; give it another name with [Method(\"...\")].");
            return;
        }

        if (_methods.TryGetValue(name, out var existing))
        {
            _problems.Add($"'{name}' is defined twice: by {existing.Signature} and by {signature}; rename one " +
                "with [Method(\"...\")].");
            return;
        }

        try
        {
            var descriptor = Describe(name, method, handler, signature, builtIn);
            if (descriptor.Access.Session != Auth.SessionUse.None && !sessionsEnabled)
            {
                throw new MethodDefinitionException(
                    "it uses sessions or accounts, which are off; call AddAccounts() on the Tessera builder " +
                    "(builder.Services.AddTessera().AddAccounts()).");
            }

            _methods.Add(name, descriptor);
        }
        catch (MethodDefinitionException exception)
        {
            _problems.Add($"'{name}' ({signature}): {exception.Message}");
        }
    }

    private MethodDescriptor Describe(string name, MethodInfo method, Delegate? handler, string signature, bool builtIn)
    {
        var parameters = method.GetParameters().Select(_parameters.Create).ToArray();
        var wire = parameters.Where(p => p.Source == ParameterSource.Wire).ToArray();
        var duplicate = wire.GroupBy(p => p.WireName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MethodDefinitionException(
                $"parameters {string.Join(" and ", duplicate.Select(p => $"'{p.ClrName}'"))} share the wire name " +
                $"'{duplicate.Key}'; rename one.");
        }

        var resultType = MethodInvokerFactory.ResultType(method.ReturnType);
        var rateLimit = (method.GetCustomAttribute<RateLimitAttribute>() ?? method.DeclaringType?.GetCustomAttribute<RateLimitAttribute>())?.Policy;
        var limiter = rateLimit is null ? null : rateLimiters?.Find(rateLimit)
            ?? throw new MethodDefinitionException(
                $"[RateLimit(\"{rateLimit}\")] names no policy; define it with --Tessera:RateLimits:{rateLimit}:PermitLimit=N " +
                $"or AddRateLimit(\"{rateLimit}\", ...) (defined: {string.Join(", ", (rateLimiters?.Names ?? []).Order(StringComparer.Ordinal))}).");
        var access = Auth.AccessRequirement.For(
            method,
            injectsSession: parameters.Any(p => p.Source is ParameterSource.Session or ParameterSource.Account));
        RequireDefined(access.Policies);
        var (targetFactory, disposesTarget) = handler is null && !method.IsStatic
            ? TargetFactory(method.DeclaringType!)
            : (null, false);
        return new MethodDescriptor
        {
            Name = name,
            Method = method,
            Signature = signature,
            Parameters = parameters,
            WireParameters = wire,
            Invoker = MethodInvokerFactory.Create(method, handler),
            TargetFactory = targetFactory,
            DisposesTarget = disposesTarget,
            ResultType = resultType,
            LazyResultTypeInfo = resultType is null ? null : ResultInfo(resultType),
            ActivityName = name,
            LazyDescription = new(() => method.GetCustomAttribute<DescriptionAttribute>()?.Description ?? XmlDocumentation.SummaryOf(method)),
            IsProtocolMethod = builtIn,
            RateLimitPolicy = rateLimit,
            RateLimiter = limiter,
            AllowsGet = method.GetCustomAttribute<MethodAttribute>()?.AllowGet == true && !SafeVerbs.NeverByGet(name),
            DeclaredErrors = [.. method.GetCustomAttributes<MethodErrorAttribute>()],
            Access = access,
        };
    }

    /// <summary>
    /// <c>[Authorize(Policy = "p")]</c> needs ASP.NET Core authorization with that policy. Checked here, like a
    /// rate-limit policy, so a missing one stops start-up instead of failing every call.
    /// </summary>
    private void RequireDefined(IReadOnlyList<string> policies)
    {
        foreach (var policy in policies)
        {
            if (authorization is null)
            {
                throw new MethodDefinitionException(
                    $"[Authorize(Policy = \"{policy}\")] needs ASP.NET Core authorization; register it and the policy with " +
                    $"builder.Services.AddAuthorization(o => o.AddPolicy(\"{policy}\", ...)).");
            }

            // The default provider answers at once; this runs once per policy, at start-up.
            if (authorization.GetPolicyAsync(policy).GetAwaiter().GetResult() is null)
            {
                throw new MethodDefinitionException(
                    $"[Authorize(Policy = \"{policy}\")] names no policy; define it with " +
                    $"builder.Services.AddAuthorization(o => o.AddPolicy(\"{policy}\", ...)).");
            }
        }
    }

    private Lazy<System.Text.Json.Serialization.Metadata.JsonTypeInfo> ResultInfo(Type type)
    {
        if (type.IsPointer || type.IsByRefLike || typeof(Delegate).IsAssignableFrom(type) || typeof(Stream).IsAssignableFrom(type))
        {
            throw new MethodDefinitionException(
                $"its result type {TypeNames.Readable(type)} cannot be written as JSON; return data instead.");
        }

        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            // Described on the method's first call: reflection costs start-up time for methods not called yet.
            return new(() => json.ResultInfo(type));
        }

        // Without reflection (Native AOT) the metadata comes from build-time contexts, cheap to ask: a type none of
        // them describes stops start-up here rather than failing the method's every call.
        try
        {
            var info = json.ResultInfo(type);
            return new(info);
        }
        catch (Exception exception) when (exception is InvalidOperationException or NotSupportedException)
        {
            throw new MethodDefinitionException(
                $"its result type {TypeNames.Readable(type)} cannot be written as JSON ({exception.Message})." + ParameterDescriptorFactory.NoReflectionHint);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = TrimmingNotes.ServiceCodeKept)]
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = TrimmingNotes.ServiceCodeKept)]
    private (Func<IServiceProvider, object>, bool) TargetFactory(Type type)
    {
        if (services?.IsService(type) == true)
        {
            return (provider => provider.GetRequiredService(type), false);
        }

        // ActivatorUtilities refuses an abstract class and one with no public constructor, and, with no arguments given,
        // accepts any other: checked here so the mistake stops start-up, while its factory (an expression tree to
        // compile, about 1 ms a class) is made after the first call, which creates its target through reflection.
        var constructors = type.GetConstructors();
        if (type.IsAbstract || constructors.Length == 0)
        {
            throw new MethodDefinitionException(
                $"its class {type.Name} cannot be created (it is abstract or has no public constructor); give it one " +
                "public constructor whose parameters are services, or register it with AddScoped.");
        }

        var disposes = typeof(IDisposable).IsAssignableFrom(type) || typeof(IAsyncDisposable).IsAssignableFrom(type);
        ObjectFactory Compile() => ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
        if (constructors.Length > 1)
        {
            // Which of several constructors the factory takes (or that it refuses them) is ActivatorUtilities' rule for
            // factories, which its CreateInstance does not share: such a class keeps the factory from its first call.
            var factory = new Lazy<ObjectFactory>(Compile);
            return (provider => factory.Value(provider, null), disposes);
        }

        var compiled = new CompiledInBackground<ObjectFactory>(Compile);
        return (provider => compiled.TryGet() is { } factory ? factory(provider, null) : ActivatorUtilities.CreateInstance(provider, type), disposes);
    }

    private static string DescribeDelegate(MethodInfo method) =>
        "(" + string.Join(", ", method.GetParameters().Select(p => $"{TypeNames.Readable(p.ParameterType)} {p.Name}")) + ")";
}
