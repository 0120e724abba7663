namespace Tessera;

/// <summary>
/// Limits how often the method may be called, by the named policy: <c>[RateLimit("messages")]</c> with
/// <c>--Tessera:RateLimits:messages:PermitLimit=10</c> (or <c>AddRateLimit</c> in code). A call over the limit is
/// refused with error 1014 and <c>Retry-After</c>, on every wire, before its parameters are bound. A policy that is not
/// defined stops start-up. On a class, it applies to every method.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, Inherited = true)]
public sealed class RateLimitAttribute(string policy) : Attribute
{
    /// <summary>The policy's name.</summary>
    public string Policy { get; } = policy;
}
