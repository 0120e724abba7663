using System.Collections.Concurrent;

namespace Tessera.Stores.Memory;

/// <summary>Accounts in process memory: for tests and throwaway services. Gone when the process ends.</summary>
internal sealed class MemoryAccountStore : IAccountStore
{
    private readonly ConcurrentDictionary<string, AccountRecord> _accounts = new(StringComparer.Ordinal);

    public Task<bool> TryCreateAsync(AccountRecord account, CancellationToken cancellationToken) =>
        Task.FromResult(_accounts.TryAdd(account.UserId, account));

    public Task<AccountRecord?> FindAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(_accounts.GetValueOrDefault(userId));

    public Task UpdateAsync(AccountRecord account, CancellationToken cancellationToken)
    {
        _accounts[account.UserId] = account;
        return Task.CompletedTask;
    }
}
