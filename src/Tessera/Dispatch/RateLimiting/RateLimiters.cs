using System.Collections.Frozen;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Tessera.Auth.Throttling;

namespace Tessera.Dispatch.RateLimiting;

/// <summary>
/// The limiters of every policy, built once at start-up on <c>System.Threading.RateLimiting</c>, the library under
/// ASP.NET Core's rate-limiting middleware. That middleware limits HTTP endpoints; Tessera needs the same limiters per
/// method and per batch entry, whatever the wire, so it partitions them by the call's user or client address itself.
/// </summary>
internal sealed class RateLimiters : IDisposable
{
    private readonly FrozenDictionary<string, PartitionedRateLimiter<MethodContext>> _limiters;

    public RateLimiters(IOptions<RateLimitOptions> options)
    {
        _limiters = options.Value.ToFrozenDictionary(p => p.Key, p => Create(p.Value), StringComparer.Ordinal);
    }

    public IEnumerable<string> Names => _limiters.Keys;

    public PartitionedRateLimiter<MethodContext>? Find(string name) => _limiters.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private static PartitionedRateLimiter<MethodContext> Create(RateLimitPolicy policy)
    {
        var limits = new SlidingWindowRateLimiterOptions
        {
            PermitLimit = policy.PermitLimit,
            Window = TimeSpan.FromSeconds(policy.Window),
            SegmentsPerWindow = 4,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        return PartitionedRateLimiter.Create<MethodContext, string>(context =>
            RateLimitPartition.GetSlidingWindowLimiter(PartitionOf(context, policy.PartitionBy), _ => limits));
    }

    private static string PartitionOf(MethodContext context, RateLimitScope scope) => scope switch
    {
        RateLimitScope.Everyone => string.Empty,
        RateLimitScope.User when context.Account is { } account => "user:" + account.UserId,
        _ => "address:" + ClientAddress.Of(context.HttpContext),
    };
}
