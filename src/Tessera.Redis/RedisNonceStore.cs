using StackExchange.Redis;
using Tessera.Stores;

namespace Tessera.Redis;

/// <summary>
/// Nonces in Redis: one key per nonce holding its expiry, with a TTL, plus an expiry index for the sweep. Accepting a
/// nonce is one Lua script, so two instances offered the same nonce at once accept it once.
/// </summary>
internal sealed class RedisNonceStore(RedisConnection redis, TimeProvider time) : INonceStore, IStoreStartup
{
    /// <summary>Redis drops a nonce on its own this long after it expires, if no sweep did first.</summary>
    private const long GraceMilliseconds = 60_000;

    private const string TryAddScript = """
        local current = redis.call('GET', KEYS[1])
        if current and tonumber(current) > tonumber(ARGV[2]) then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', math.max(tonumber(ARGV[1]) - tonumber(ARGV[2]), 1) + tonumber(ARGV[4]))
        redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
        return 1
        """;

    private const string DeleteExpiredScript = """
        local nonces = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
        local deleted = 0
        for _, nonce in ipairs(nonces) do
            deleted = deleted + redis.call('DEL', ARGV[2] .. nonce)
            redis.call('ZREM', KEYS[1], nonce)
        end
        return { deleted, #nonces }
        """;

    private const int SweepBatch = 1000;

    public async Task<bool> TryAddAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        (int)await redis.ScriptAsync(
            TryAddScript,
            [redis.Keys.Nonce(nonce), redis.Keys.NoncesByExpiry],
            [expiresAt.ToUnixTimeMilliseconds(), time.GetUtcNow().ToUnixTimeMilliseconds(), nonce, GraceMilliseconds]) == 1;

    public async Task<bool> ContainsAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var expiresAt = await redis.GuardAsync(database => database.StringGetAsync(redis.Keys.Nonce(nonce)));
        return expiresAt.HasValue && (long)expiresAt > now.ToUnixTimeMilliseconds();
    }

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var result = (RedisResult[])(await redis.ScriptAsync(
                DeleteExpiredScript,
                [redis.Keys.NoncesByExpiry],
                [now.ToUnixTimeMilliseconds(), redis.Keys.NoncePrefix, SweepBatch]))!;
            total += (int)result[0];
            if ((int)result[1] < SweepBatch)
            {
                return total;
            }
        }
    }

    public Task PrepareAsync(CancellationToken cancellationToken) => redis.PrepareAsync(cancellationToken);
}
