using Tessera.Stores;
using Tessera.Stores.Memory;

namespace Tessera.Tests.Auth.Sessions;

/// <summary><see cref="Session.UpdateAsync"/> under requests of one session updating it at once.</summary>
public sealed class SessionUpdateTests
{
    private const int Requests = 16;

    [Fact]
    public async Task ConcurrentUpdatesOfOneSession_InOneProcess_RetryOnceAtMost_AndNoneIsLost()
    {
        // A store whose writes take a while, so that the requests' updates overlap however the threads run.
        var store = new SlowWrites(new MemorySessionStore());
        await using var host = await AuthHosts.StartAsync(configure: t => t.Services.AddSingleton<ISessionStore>(store));
        await host.Toto.CreateAccountAsync("ada", AuthHosts.Password);

        for (var round = 1; round <= 5; round++)
        {
            store.Writes = 0;
            var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ =>
            {
                var client = host.Toto.Fresh();
                client.SessionId = host.Toto.SessionId;
                return client.CallAsync("secure.increment");
            }));

            var counts = answers.Select(a => a.Result.GetInt32()).Order();
            Assert.Equal(Enumerable.Range(((round - 1) * Requests) + 1, Requests), counts);
            // The retries take turns, so a write fails only when a first try (at most one failure each) or one
            // landed write (at most one waiting retry each) came between: under 3 writes an update. Without the turns
            // this round took 80 to 89 writes; when every request reads before anyone writes it takes at most 31.
            Assert.InRange(store.Writes, Requests, (3 * Requests) - 1);
        }
    }

    private sealed class SlowWrites(ISessionStore inner) : ISessionStore
    {
        public int Writes;

        public async Task<bool> TryUpdateStateAsync(byte[] idHash, long expectedVersion, string state, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Writes);
            await Task.Delay(2, cancellationToken);
            return await inner.TryUpdateStateAsync(idHash, expectedVersion, state, cancellationToken);
        }

        public Task CreateAsync(SessionRecord session, CancellationToken cancellationToken) => inner.CreateAsync(session, cancellationToken);

        public Task<SessionRecord?> FindAsync(byte[] idHash, CancellationToken cancellationToken) => inner.FindAsync(idHash, cancellationToken);

        public Task RenewAsync(byte[] idHash, DateTimeOffset expiresAt, CancellationToken cancellationToken) => inner.RenewAsync(idHash, expiresAt, cancellationToken);

        public Task DeleteAsync(byte[] idHash, CancellationToken cancellationToken) => inner.DeleteAsync(idHash, cancellationToken);

        public Task<int> DeleteByUserAsync(string userId, CancellationToken cancellationToken) => inner.DeleteByUserAsync(userId, cancellationToken);

        public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.DeleteExpiredAsync(now, cancellationToken);
    }
}
