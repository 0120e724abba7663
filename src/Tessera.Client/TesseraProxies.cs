using System.Collections.Concurrent;
using System.ComponentModel;

namespace Tessera.Client;

/// <summary>
/// The proxies Tessera.Client's source generator wrote for this application: one factory per shared interface named
/// in a <c>client.For&lt;T&gt;()</c> call, registered by a module initializer when the assembly loads. A lookup by
/// type, no reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TesseraProxies
{
    private static readonly ConcurrentDictionary<Type, Func<TesseraClient, object>> Factories = new();

    /// <summary>Called by generated code: registers the proxy factory of <typeparamref name="T"/>.</summary>
    public static void Register<T>(Func<TesseraClient, T> factory)
        where T : class =>
        Factories[typeof(T)] = factory;

    internal static T Create<T>(TesseraClient client)
        where T : class =>
        Factories.TryGetValue(typeof(T), out var factory)
            ? (T)factory(client)
            : throw new InvalidOperationException(
                $"No proxy was generated for {typeof(T).FullName}. Proxies are written at compile time for the interfaces named in " +
                "client.For<T>() calls of a project that references Tessera.Client; the interface's methods must return Task, Task<T>, " +
                "ValueTask or ValueTask<T> (the build reports any it could not proxy as TESSERA1xx).");
}

/// <summary>
/// How C# names become wire names, the same rules the server applies: a type name without a leading interface
/// <c>I</c> and without a trailing <c>Methods</c> or <c>Service</c>, a method name without <c>Async</c>, both in
/// snake_case (<c>IMathService.GetTotalAsync</c> is <c>math.get_total</c>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TesseraNaming
{
    private static readonly string[] DroppedSuffixes = ["Methods", "Service"];

    /// <summary>The wire name of <paramref name="methodName"/> declared on the interface <paramref name="interfaceName"/>.</summary>
    public static string MethodName(string interfaceName, string methodName)
    {
        ArgumentNullException.ThrowIfNull(interfaceName);
        ArgumentNullException.ThrowIfNull(methodName);
        var group = interfaceName.Length > 1 && interfaceName[0] == 'I' && char.IsUpper(interfaceName[1]) ? interfaceName[1..] : interfaceName;
        foreach (var suffix in DroppedSuffixes)
        {
            if (group.Length > suffix.Length && group.EndsWith(suffix, StringComparison.Ordinal))
            {
                group = group[..^suffix.Length];
                break;
            }
        }

        if (methodName.Length > "Async".Length && methodName.EndsWith("Async", StringComparison.Ordinal))
        {
            methodName = methodName[..^"Async".Length];
        }

        return ParameterName(group) + "." + ParameterName(methodName);
    }

    /// <summary>The wire name of a parameter: snake_case.</summary>
    public static string ParameterName(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
