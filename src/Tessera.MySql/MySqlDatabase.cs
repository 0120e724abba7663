using Microsoft.Extensions.Options;
using MySqlConnector;
using Tessera.Stores;

namespace Tessera.MySql;

/// <summary>
/// The MySQL or MariaDB database: one pooled data source for the stores, and the schema, created or migrated once
/// before first use. Every operation is bounded by <c>store_timeout</c>.
/// </summary>
internal sealed class MySqlDatabase : IStoreStartup, IStoreProbe, IAsyncDisposable
{
    private readonly SemaphoreSlim _migrationLock = new(1, 1);
    private readonly MySqlDataSource _dataSource;
    private volatile bool _migrated;

    public MySqlDatabase(IOptions<StorageOptions> options)
    {
        var storage = options.Value;
        var builder = new MySqlConnectionStringBuilder(storage.DbConnection)
        {
            ConnectionTimeout = (uint)storage.StoreTimeout,
            DefaultCommandTimeout = (uint)storage.StoreTimeout,
            // Affected rows, not matched rows: "insert unless present" must tell a no-op from a write.
            UseAffectedRows = true,
            // Several statements per command only where Tessera's own code sends them; values are always parameters.
            AllowUserVariables = false,
        };
        _dataSource = new MySqlDataSource(builder.ConnectionString);
    }

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken);
        }

        return await _dataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection, turning an unreachable server into 1013. After a database
    /// restart the pool's idle connections are dead: a read is tried once more on a fresh connection; a write is not,
    /// since it may have been applied.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<MySqlConnection, Task<T>> work, bool retryOnce, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            MySqlConnection? connection = null;
            try
            {
                connection = await OpenAsync(cancellationToken);
                return await work(connection);
            }
            catch (Exception exception) when (MySqlCommands.IsUnavailable(exception))
            {
                if (connection is not null)
                {
                    await MySqlConnection.ClearPoolAsync(connection, CancellationToken.None);
                }

                if (!retryOnce || attempt == 2)
                {
                    throw new StoreUnavailableException(MySqlCommands.StoreName, exception);
                }
            }
            finally
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
        }
    }

    public Task PrepareAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    /// <summary>A <c>SELECT 1</c>, retried once on a fresh connection after the server went away.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) => RunAsync(async connection =>
    {
        await using var command = new MySqlCommand("SELECT 1", connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }, retryOnce: true, cancellationToken);

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _migrationLock.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
            {
                return;
            }

            await MySqlCommands.GuardAsync(async () =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                await MySqlMigrations.ApplyAsync(connection, cancellationToken);
                return true;
            });
            _migrated = true;
        }
        finally
        {
            _migrationLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _migrationLock.Dispose();
    }
}
