using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Tessera;

/// <summary>
/// The methods a service offers, before start-up turns them into the dispatch table. Classes are scanned for
/// <see cref="MethodAttribute"/>; delegates are added under an explicit name.
/// </summary>
public sealed class MethodCollection
{
    private readonly List<Assembly> _assemblies = [];
    private readonly List<Type> _types = [];
    private readonly List<KeyValuePair<string, Delegate>> _delegates = [];
    private readonly List<Type> _builtIns = [];
    private bool _sealed;

    /// <summary>
    /// Whether the entry assembly is scanned for <see cref="MethodAttribute"/> methods. Defaults to
    /// <see langword="true"/>, which is what lets <c>TesseraServer.Run(args)</c> find the service's methods.
    /// </summary>
    public bool ScanEntryAssembly
    {
        get;
        set
        {
            ThrowIfSealed();
            field = value;
        }
    } = true;

    internal IReadOnlyList<Assembly> Assemblies => _assemblies;

    internal IReadOnlyList<Type> Types => _types;

    internal IReadOnlyList<KeyValuePair<string, Delegate>> Delegates => _delegates;

    // What the registry reads of a method class: kept for it when the assembly that declares it is trimmed (Tessera's
    // own classes, a library's; the service's own assembly is kept whole, see TrimmingNotes).
    private const DynamicallyAccessedMemberTypes MethodClass = DynamicallyAccessedMemberTypes.PublicMethods
        | DynamicallyAccessedMemberTypes.NonPublicMethods | DynamicallyAccessedMemberTypes.PublicConstructors;

    /// <summary>Tessera's own protocol methods, which may use reserved names (<c>rpc.discover</c>).</summary>
    internal IReadOnlyList<Type> BuiltIns => _builtIns;

    internal void AddBuiltIn([DynamicallyAccessedMembers(MethodClass)] Type type)
    {
        ThrowIfSealed();
        if (!_builtIns.Contains(type))
        {
            _builtIns.Add(type);
        }
    }

    /// <summary>Adds a delegate as a method, for example <c>Add("math.add", (int a, int b) =&gt; a + b)</c>.</summary>
    public MethodCollection Add(string name, Delegate handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfSealed();
        _delegates.Add(new(name, handler));
        return this;
    }

    /// <summary>Adds the <see cref="MethodAttribute"/> methods of <typeparamref name="T"/>.</summary>
    public MethodCollection AddType<[DynamicallyAccessedMembers(MethodClass)] T>() => AddType(typeof(T));

    /// <summary>Adds the <see cref="MethodAttribute"/> methods of <paramref name="type"/>.</summary>
    public MethodCollection AddType([DynamicallyAccessedMembers(MethodClass)] Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        ThrowIfSealed();
        if (!_types.Contains(type))
        {
            _types.Add(type);
        }

        return this;
    }

    /// <summary>Adds the <see cref="MethodAttribute"/> methods of every class in <paramref name="assembly"/>.</summary>
    [RequiresUnreferencedCode("The assembly's classes are found by reflection: when the service is trimmed (Native AOT), keep the assembly whole with a TrimmerRootAssembly item, or add its classes with AddType<T>().")]
    public MethodCollection AddAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ThrowIfSealed();
        if (!_assemblies.Contains(assembly))
        {
            _assemblies.Add(assembly);
        }

        return this;
    }

    /// <summary>The registry has been built from this collection: from now on it only reads.</summary>
    internal void Seal() => _sealed = true;

    private void ThrowIfSealed()
    {
        if (_sealed)
        {
            throw new InvalidOperationException(
                "Methods cannot be added after the method registry is built (at MapTessera). Add them while configuring " +
                "services: builder.Services.AddTessera().AddMethods(methods => ...), or tessera.Methods in TesseraServer.Run.");
        }
    }
}
