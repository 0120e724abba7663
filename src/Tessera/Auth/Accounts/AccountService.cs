using System.Text.Json.Nodes;
using Tessera.Auth.Accounts;
using Tessera.Auth.Sessions;
using Tessera.Auth.Throttling;
using Tessera.Errors;
using Tessera.Stores;

namespace Tessera;

/// <summary>
/// Accounts from C#: create, find, import from Toto, grant roles, change passwords and end every session of a user.
/// The <c>account.*</c> methods are built on it.
/// </summary>
public sealed class AccountService
{
    private readonly IAccountStore _store;
    private readonly PasswordHasher _hasher;
    private readonly SessionManager _sessions;
    private readonly TimeProvider _time;
    private readonly AccountPolicy _policy;

    internal AccountService(IAccountStore store, PasswordHasher hasher, SessionManager sessions, TimeProvider time, AccountPolicy policy)
    {
        _policy = policy;
        _store = store;
        _hasher = hasher;
        _sessions = sessions;
        _time = time;
    }

    /// <summary>The account of <paramref name="userId"/> (any case), or null.</summary>
    public async Task<Account?> FindAsync(string userId, CancellationToken cancellationToken = default) =>
        NormalizeOrNull(userId) is { } id && await _store.FindAsync(id, cancellationToken) is { } record
            ? new Account(record)
            : null;

    /// <summary>
    /// Creates an account. Fails with 1010 for a user id the policy refuses (<see cref="SecurityOptions"/>), 1006 when
    /// it is taken, and 1003 for a password the policy refuses (too short, too long, or an <see cref="IPasswordRule"/>).
    /// </summary>
    public Task<Account> CreateAsync(
        string userId,
        string password,
        JsonObject? fields = null,
        CancellationToken cancellationToken = default) =>
        CreateAsync(userId, password, fields, ClientAddress.Application, cancellationToken);

    /// <summary>Creates an account, hashing in <paramref name="partition"/>'s turn (the calling client's address).</summary>
    internal async Task<Account> CreateAsync(string userId, string password, JsonObject? fields, string partition, CancellationToken cancellationToken)
    {
        var id = _policy.RequireNewUserId(userId);
        _policy.RequireNewPassword(password, id, "password");
        var record = new AccountRecord
        {
            UserId = id,
            PasswordHash = await _hasher.HashAsync(password, partition, cancellationToken),
            Fields = (fields ?? []).ToJsonString(),
            CreatedAt = _time.GetUtcNow(),
        };
        if (!await _store.TryCreateAsync(record, cancellationToken))
        {
            throw ToException(ErrorTable.UserIdTaken());
        }

        return new Account(record);
    }

    /// <summary>
    /// Imports an account with an existing password hash, such as Toto's <c>$p5k2$</c>; it is verified at sign-in and
    /// replaced then with a strong hash.
    /// </summary>
    public async Task<Account> ImportAsync(string userId, string passwordHash, CancellationToken cancellationToken = default)
    {
        var record = new AccountRecord { UserId = Normalize(userId), PasswordHash = passwordHash, CreatedAt = _time.GetUtcNow() };
        if (!await _store.TryCreateAsync(record, cancellationToken))
        {
            throw ToException(ErrorTable.UserIdTaken());
        }

        return new Account(record);
    }

    /// <summary>Replaces the roles of an account.</summary>
    public async Task SetRolesAsync(string userId, IEnumerable<string> roles, CancellationToken cancellationToken = default)
    {
        var record = await RequireAsync(userId, cancellationToken);
        await _store.UpdateAsync(record with { Roles = [.. roles.Distinct(StringComparer.Ordinal)] }, cancellationToken);
    }

    /// <summary>
    /// Ends every session of the user, on every instance sharing the store, stateless ones included (sessions created
    /// before now stop being accepted); answers how many stored sessions were deleted.
    /// </summary>
    public async Task<int> EndAllSessionsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var record = await RequireAsync(userId, cancellationToken);
        await _store.UpdateAsync(record with { SessionsValidAfter = _time.GetUtcNow() }, cancellationToken);
        return await _sessions.EndAllAsync(record.UserId, cancellationToken);
    }

    /// <summary>
    /// Checks a user id and password; null when either is wrong (taking as long either way). A hash weaker than the
    /// current settings, or imported from Toto, is replaced on success.
    /// </summary>
    internal async Task<Account?> VerifyAsync(string userId, string password, string partition, CancellationToken cancellationToken)
    {
        var id = NormalizeOrNull(userId);
        var record = id is null ? null : await _store.FindAsync(id, cancellationToken);
        var check = await _hasher.VerifyAsync(password, record?.PasswordHash, partition, cancellationToken);
        if (record is null || !check.Valid)
        {
            return null;
        }

        if (check.NeedsRehash)
        {
            record = record with { PasswordHash = await _hasher.HashAsync(password, partition, cancellationToken) };
            await _store.UpdateAsync(record, cancellationToken);
        }

        return new Account(record);
    }

    internal async Task<Account> UpdateAsync(Account account, string? newPassword, JsonObject changedFields, string partition, CancellationToken cancellationToken)
    {
        var fields = JsonNode.Parse(account.Record.Fields) as JsonObject ?? [];
        foreach (var (name, value) in changedFields)
        {
            fields[name] = value?.DeepClone();
        }

        var record = account.Record with { Fields = fields.ToJsonString() };
        if (newPassword is not null)
        {
            _policy.RequireNewPassword(newPassword, account.UserId, "new_password");
            record = record with { PasswordHash = await _hasher.HashAsync(newPassword, partition, cancellationToken) };
        }

        await _store.UpdateAsync(record, cancellationToken);
        return new Account(record);
    }

    internal static string Normalize(string userId) => NormalizeOrNull(userId) ?? throw ToException(ErrorTable.InvalidUserId());

    private static string? NormalizeOrNull(string? userId) => AccountPolicy.Normalize(userId);

    private async Task<AccountRecord> RequireAsync(string userId, CancellationToken cancellationToken) =>
        await _store.FindAsync(Normalize(userId), cancellationToken)
            ?? throw new InvalidOperationException($"No account has the user id '{userId}'.");

    private static MethodException ToException(MethodError error) => new(error.Code, error.Value);
}
