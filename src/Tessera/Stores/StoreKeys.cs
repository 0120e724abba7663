namespace Tessera.Stores;

/// <summary>
/// The service keys under which backend packages register their stores. Tessera picks the keyed store that the
/// configuration names (<c>database</c>, <c>session_store</c>), so switching backends is a configuration change.
/// </summary>
public static class StoreKeys
{
    /// <summary>Stores of the Tessera.PostgreSQL package.</summary>
    public const string Postgres = "postgres";

    /// <summary>Stores of the Tessera.Redis package.</summary>
    public const string Redis = "redis";
}
