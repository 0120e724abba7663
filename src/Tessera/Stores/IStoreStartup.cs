namespace Tessera.Stores;

/// <summary>
/// A store with work to do before the service takes requests (create or migrate a schema, reach its server), so a bad
/// connection string or a newer schema stops the service at start-up rather than at the first call.
/// </summary>
public interface IStoreStartup
{
    /// <summary>Prepares the store; throws with a clear message when it cannot be used.</summary>
    Task PrepareAsync(CancellationToken cancellationToken);
}
