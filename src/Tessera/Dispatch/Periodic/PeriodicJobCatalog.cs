using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Dispatch.Periodic;

/// <summary>
/// Every periodic job of the service, found once at start-up: <see cref="PeriodicAttribute"/> methods of the classes and
/// assemblies the method collection scans, and the jobs added with <c>AddPeriodicJob</c>; then periods from the
/// <c>Tessera:Periodic</c> configuration section applied.
/// </summary>
internal static class PeriodicJobCatalog
{
    public const string SectionName = "Tessera:Periodic";

    public static IReadOnlyList<PeriodicJob> Build(MethodCollection methods, IEnumerable<PeriodicJob> added, IConfiguration? configuration)
    {
        var jobs = new Dictionary<string, PeriodicJob>(StringComparer.Ordinal);
        foreach (var job in Scan(methods).Concat(added))
        {
            if (!jobs.TryAdd(job.Name, job))
            {
                throw new InvalidOperationException($"Two periodic jobs are both named '{job.Name}'; give one another Name.");
            }
        }

        var overrides = configuration?.GetSection(SectionName);
        var result = new List<PeriodicJob>();
        foreach (var job in jobs.Values)
        {
            var text = overrides?[job.Name];
            if (text is null)
            {
                result.Add(job);
            }
            else if (text.Trim().ToLowerInvariant() is not ("off" or "0" or "false"))
            {
                result.Add(job with { Period = TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var period) && period > TimeSpan.Zero
                    ? period
                    : throw new InvalidOperationException($"{SectionName}:{job.Name}={text}: give a period such as 00:05:00, or off.") });
            }
        }

        foreach (var job in result.Where(j => j.Period < TimeSpan.FromMilliseconds(100)))
        {
            throw new InvalidOperationException($"The periodic job '{job.Name}' runs every {job.Period}; the shortest period is 100 ms.");
        }

        return result;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = TrimmingNotes.ServiceCodeKept)]
    private static IEnumerable<PeriodicJob> Scan(MethodCollection methods)
    {
        var types = new List<Type>(methods.Types);
        var assemblies = new List<Assembly>(methods.Assemblies);
        if (methods.ScanEntryAssembly && Assembly.GetEntryAssembly() is { } entry && !assemblies.Contains(entry))
        {
            assemblies.Add(entry);
        }

        foreach (var assembly in assemblies)
        {
            types.AddRange(LoadableTypes(assembly).Where(t => t.IsClass && !types.Contains(t)));
        }

        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<PeriodicAttribute>() is { } periodic)
                {
                    var name = periodic.Name ?? MethodNaming.ConventionalName(type, method.Name);
                    yield return new PeriodicJob(name, periodic.Period, Invoker(type, method, name));
                }
            }
        }
    }

    /// <summary>
    /// What one run does: the instance and arguments resolved from the run's scope, the result awaited. Reflection is
    /// fine here: a run happens once per period, not once per request.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2067", Justification = TrimmingNotes.ServiceCodeKept)]
    private static Func<MethodContext, Task> Invoker(Type type, MethodInfo method, string name)
    {
        if (method.ReturnType != typeof(void) && method.ReturnType != typeof(Task) && method.ReturnType != typeof(ValueTask))
        {
            throw new InvalidOperationException($"The periodic job '{name}' ({type.Name}.{method.Name}) must return void, Task or ValueTask.");
        }

        var parameters = method.GetParameters();
        return async context =>
        {
            // A registered class comes from the scope, which disposes it; one made here is disposed here.
            var registered = context.Services.GetService<IServiceProviderIsService>()?.IsService(type) == true;
            var target = method.IsStatic ? null
                : registered ? context.Services.GetRequiredService(type)
                : ActivatorUtilities.CreateInstance(context.Services, type);
            var arguments = parameters.Select(p =>
                p.ParameterType == typeof(MethodContext) ? context
                : p.ParameterType == typeof(CancellationToken) ? context.CancellationToken
                : context.Services.GetRequiredService(p.ParameterType)).ToArray();
            try
            {
                switch (method.Invoke(target, arguments))
                {
                    case Task task:
                        await task;
                        break;
                    case ValueTask valueTask:
                        await valueTask;
                        break;
                }
            }
            catch (TargetInvocationException invocation) when (invocation.InnerException is { } inner)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            }
            finally
            {
                if (!registered && target is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync();
                }
                else if (!registered && target is IDisposable disposable)
                {
                    disposable.Dispose();
                }
            }
        };
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimmingNotes.ServiceCodeKept)]
    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            return partial.Types.OfType<Type>();
        }
    }
}
