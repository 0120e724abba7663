namespace Tessera.Stores;

/// <summary>Where accounts live. Implementations: in memory, SQLite (the default), and backend packages.</summary>
public interface IAccountStore
{
    /// <summary>Adds the account; false when its user id is taken.</summary>
    Task<bool> TryCreateAsync(AccountRecord account, CancellationToken cancellationToken);

    /// <summary>The account with this (lower-cased) user id, or null.</summary>
    Task<AccountRecord?> FindAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Replaces the password hash, fields and roles of an existing account.</summary>
    Task UpdateAsync(AccountRecord account, CancellationToken cancellationToken);
}
