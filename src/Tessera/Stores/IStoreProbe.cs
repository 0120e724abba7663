namespace Tessera.Stores;

/// <summary>
/// Tells whether a store backend's server can be reached now, for <c>/_tessera/ready</c>. A backend registers one as a
/// keyed service under its name; a backend without one (memory) is always ready.
/// </summary>
public interface IStoreProbe
{
    /// <summary>Completes once the server has answered a trivial request; throws when it cannot be reached in time.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
