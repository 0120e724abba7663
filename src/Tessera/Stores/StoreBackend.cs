namespace Tessera;

/// <summary>What a store backend can keep.</summary>
[Flags]
public enum StoreRoles
{
    /// <summary>Nothing (not a valid registration).</summary>
    None = 0,

    /// <summary>Accounts, and by default sessions, nonces and the event log: selectable with <c>--database=NAME</c>.</summary>
    Database = 1,

    /// <summary>Sessions, nonces and the event log: selectable with <c>--session_store=NAME</c>.</summary>
    Sessions = 2,

    /// <summary>The event log alone: selectable with <c>--events=NAME</c>.</summary>
    Events = 4,
}

/// <summary>
/// A store backend, registered under the name the configuration uses to pick it (<c>--database=postgres</c>,
/// <c>--session_store=redis</c>). A backend package registers one with <see cref="TesseraStoreExtensions.AddStoreBackend"/>
/// and its stores as keyed services under the same <see cref="Name"/>: <see cref="Stores.IAccountStore"/> for the database
/// role, <see cref="Stores.ISessionStore"/>, <see cref="Stores.INonceStore"/> and <see cref="Stores.IEventLog"/> for both. Tessera itself
/// registers <c>memory</c> and <c>sqlite</c> this way and names no other backend.
/// </summary>
/// <param name="Name">The configuration name, lower case, e.g. <c>postgres</c>.</param>
/// <param name="Roles">What the backend can keep.</param>
/// <param name="Description">One line for error messages and <c>--help</c>, e.g. <c>PostgreSQL (Tessera.PostgreSQL)</c>.</param>
public sealed record StoreBackend(string Name, StoreRoles Roles, string Description);
