using System.Text.Json;
using MySqlConnector;
using Tessera.Stores;

namespace Tessera.MySql;

/// <summary>Accounts in MySQL; extra fields are kept as written, roles as a JSON array.</summary>
internal sealed class MySqlAccountStore(MySqlDatabase database) : IAccountStore, IStoreStartup
{
    public async Task<bool> TryCreateAsync(AccountRecord account, CancellationToken cancellationToken) =>
        // With affected rows counted, a duplicate key that changes nothing reports 0: taken.
        await database.ExecuteAsync(
            """
            INSERT INTO tessera_accounts (user_id, password_hash, fields, roles, created_at, sessions_valid_after)
            VALUES (@user_id, @password_hash, @fields, @roles, @created_at, @sessions_valid_after)
            ON DUPLICATE KEY UPDATE user_id = user_id
            """,
            p =>
            {
                Bind(p, account);
                p.AddWithValue("@created_at", account.CreatedAt.Ms());
            },
            cancellationToken) == 1;

    public Task<AccountRecord?> FindAsync(string userId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync(
            """
            SELECT user_id, password_hash, fields, roles, created_at, sessions_valid_after
            FROM tessera_accounts WHERE user_id = @user_id
            """,
            p => p.AddWithValue("@user_id", userId),
            reader => new AccountRecord
            {
                UserId = reader.GetString(0),
                PasswordHash = reader.GetString(1),
                Fields = reader.GetString(2),
                Roles = JsonSerializer.Deserialize(reader.GetString(3), MySqlJson.Default.StringArray) ?? [],
                CreatedAt = reader.GetTime(4),
                SessionsValidAfter = reader.IsDBNull(5) ? null : reader.GetTime(5),
            },
            cancellationToken);

    public async Task UpdateAsync(AccountRecord account, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            """
            UPDATE tessera_accounts SET password_hash = @password_hash, fields = @fields, roles = @roles,
                sessions_valid_after = @sessions_valid_after
            WHERE user_id = @user_id
            """,
            p => Bind(p, account),
            cancellationToken);

    public Task PrepareAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    private static void Bind(MySqlParameterCollection p, AccountRecord account)
    {
        p.AddWithValue("@user_id", account.UserId);
        p.AddWithValue("@password_hash", account.PasswordHash);
        p.AddWithValue("@fields", account.Fields);
        p.AddWithValue("@roles", JsonSerializer.Serialize(account.Roles, MySqlJson.Default.IReadOnlyListString));
        p.AddWithValue("@sessions_valid_after", (object?)account.SessionsValidAfter?.Ms() ?? DBNull.Value);
    }
}
