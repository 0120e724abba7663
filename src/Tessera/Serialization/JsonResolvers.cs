using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tessera.Serialization;

/// <summary>Where every serializer configuration of Tessera finds a type's metadata.</summary>
internal static class JsonResolvers
{
    /// <summary>
    /// The scalars and common shapes, then the registered contexts in order, then reflection, unless the program
    /// turned reflection-based serialization off (<c>JsonSerializerIsReflectionEnabledByDefault=false</c>, the default
    /// under Native AOT): a type no context describes then fails with the serializer's own error naming it.
    /// </summary>
    public static IJsonTypeInfoResolver Chain(IEnumerable<JsonTypes> registered)
    {
        List<IJsonTypeInfoResolver> chain = [ScalarJsonContext.Default, CommonJsonContext.Default, .. registered.Select(t => t.Resolver)];
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            chain.Add(Reflection());
        }

        return JsonTypeInfoResolver.Combine([.. chain]);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Asked last, for types no generated context describes, and only while the program allows reflection-based serialization.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above: a program compiled ahead of time either turns reflection off or accepts the serializer's own limits there.")]
    private static DefaultJsonTypeInfoResolver Reflection() => new();
}
