using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Tessera.Dispatch.Binding;

namespace Tessera.Dispatch;

/// <summary>One callable method: its name, how to bind it and how to invoke it. Immutable once built.</summary>
internal sealed class MethodDescriptor
{
    public required string Name { get; init; }

    /// <summary>The C# method (for a delegate, its compiler-generated method).</summary>
    public required MethodInfo Method { get; init; }

    /// <summary>A readable C# signature for messages.</summary>
    public required string Signature { get; init; }

    /// <summary>Every parameter in C# order, injected ones included.</summary>
    public required ParameterDescriptor[] Parameters { get; init; }

    /// <summary>The parameters read from the request, in C# order (the order positional arguments use).</summary>
    public required ParameterDescriptor[] WireParameters { get; init; }

    /// <summary>Calls the method on a target (null for static methods and delegates) with bound arguments.</summary>
    public required MethodInvoker Invoker { get; init; }

    /// <summary>Creates the instance an instance method runs on; null when none is needed.</summary>
    public Func<IServiceProvider, object>? TargetFactory { get; init; }

    /// <summary>Whether the target was made for this call only and must be disposed after it.</summary>
    public bool DisposesTarget { get; init; }

    /// <summary>void, Task and ValueTask methods answer with an empty body.</summary>
    public bool ReturnsVoid => ResultType is null;

    /// <summary>The type the result is written as; null when <see cref="ReturnsVoid"/>.</summary>
    public Type? ResultType { get; init; }

    /// <summary>
    /// How the result is written, made on first use (the first call, or a discovery document): the serializer's
    /// reflection over every result type at start-up was a tenth of the time to the first answer.
    /// </summary>
    public Lazy<JsonTypeInfo>? LazyResultTypeInfo { get; init; }

    /// <summary>Writes the result; null when <see cref="ReturnsVoid"/>.</summary>
    public JsonTypeInfo? ResultTypeInfo => LazyResultTypeInfo?.Value;

    /// <summary>The filter pipeline around <see cref="Invoker"/>, or null when no filter is registered.</summary>
    public MethodFilterDelegate? Pipeline { get; private set; }

    private bool _sealed;

    /// <summary>The activity (span) name, built once so tracing costs no string formatting per call.</summary>
    public required string ActivityName { get; init; }

    /// <summary>
    /// What the method does, from <c>[Description]</c> or its XML doc comment, read when first asked for (discovery,
    /// <c>system.methodHelp</c>): loading an assembly's documentation file was a measurable part of start-up.
    /// </summary>
    public Lazy<string?> LazyDescription { get; init; } = new((string?)null);

    public string? Description => LazyDescription.Value;

    /// <summary>Tessera's own protocol methods (discovery, compatibility), left out of discovery documents.</summary>
    public bool IsProtocolMethod { get; init; }

    /// <summary>The limiter of the method's <c>[RateLimit]</c> policy, or null.</summary>
    public System.Threading.RateLimiting.PartitionedRateLimiter<MethodContext>? RateLimiter { get; init; }

    /// <summary>The name of the method's rate-limit policy, or null.</summary>
    public string? RateLimitPolicy { get; init; }

    /// <summary>Marked safe with <c>[Method(AllowGet = true)]</c>: GET and HEAD may call it.</summary>
    public bool AllowsGet { get; init; }

    /// <summary>Errors the method declares with <see cref="MethodErrorAttribute"/>.</summary>
    public IReadOnlyList<MethodErrorAttribute> DeclaredErrors { get; init; } = [];

    /// <summary>What the caller must present: session, roles, policies, API token.</summary>
    public Auth.AccessRequirement Access { get; init; } = Auth.AccessRequirement.None;

    /// <summary>
    /// Attaches the filter pipeline, once, as the registry is built (the pipeline is built from the descriptor, so it
    /// cannot be an init-only value); the descriptor never changes after.
    /// </summary>
    internal void Seal(MethodFilterDelegate? pipeline)
    {
        if (_sealed)
        {
            throw new InvalidOperationException($"The descriptor of '{Name}' is already built; it cannot change.");
        }

        Pipeline = pipeline;
        _sealed = true;
    }
}

/// <summary>A compiled call of one method: no reflection when it runs.</summary>
internal delegate ValueTask<object?> MethodInvoker(object? target, object?[] arguments);
