using StackExchange.Redis;
using Tessera.Stores;

namespace Tessera.Redis;

/// <summary>
/// Sessions in Redis: one hash per session with a TTL, an expiry index for the sweep and a set per user for "end every
/// session of this user". Every change that touches more than one key is one Lua script, so it is atomic.
/// </summary>
internal sealed class RedisSessionStore(RedisConnection redis, TimeProvider time) : ISessionStore, IStoreStartup
{
    /// <summary>
    /// Redis drops a session on its own this long after it expires; the sweep normally removes it first, and with it
    /// its place in its user's set.
    /// </summary>
    private const long GraceMilliseconds = 3_600_000;

    private const string CreateScript = """
        redis.call('HSET', KEYS[1], unpack(ARGV, 5))
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
        if ARGV[4] ~= '' then redis.call('SADD', KEYS[3], ARGV[3]) end
        return 1
        """;

    private const string UpdateStateScript = """
        local version = redis.call('HGET', KEYS[1], 'version')
        if not version or version ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'state', ARGV[2], 'version', tonumber(version) + 1)
        return 1
        """;

    private const string RenewScript = """
        local absolute = redis.call('HGET', KEYS[1], 'absolute_expires_at')
        if not absolute then return 0 end
        local expiry = math.min(tonumber(ARGV[1]), tonumber(absolute))
        redis.call('HSET', KEYS[1], 'expires_at', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], math.max(expiry - tonumber(ARGV[2]), 1) + tonumber(ARGV[4]))
        redis.call('ZADD', KEYS[2], expiry, ARGV[3])
        return 1
        """;

    private const string DeleteScript = """
        local user = redis.call('HGET', KEYS[1], 'user_id')
        local deleted = redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        if user then redis.call('SREM', ARGV[2] .. user, ARGV[1]) end
        return deleted
        """;

    private const string DeleteByUserScript = """
        local deleted = 0
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
            deleted = deleted + redis.call('DEL', ARGV[1] .. id)
            redis.call('ZREM', KEYS[2], id)
        end
        redis.call('DEL', KEYS[1])
        return deleted
        """;

    private const string DeleteExpiredScript = """
        local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[4]))
        local deleted = 0
        for _, id in ipairs(ids) do
            local key = ARGV[2] .. id
            local user = redis.call('HGET', key, 'user_id')
            deleted = deleted + redis.call('DEL', key)
            if user then redis.call('SREM', ARGV[3] .. user, id) end
            redis.call('ZREM', KEYS[1], id)
        end
        return { deleted, #ids }
        """;

    private const int SweepBatch = 1000;

    private readonly RedisKeys _keys = redis.Keys;

    public async Task CreateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        var member = RedisKeys.SessionMember(session.IdHash);
        var expiry = Math.Min(session.ExpiresAt.ToUnixTimeMilliseconds(), session.AbsoluteExpiresAt.ToUnixTimeMilliseconds());
        var values = new List<RedisValue>
        {
            TimeToLive(expiry),
            expiry,
            member,
            session.UserId ?? string.Empty,
            "created_at", session.CreatedAt.ToUnixTimeMilliseconds(),
            "expires_at", session.ExpiresAt.ToUnixTimeMilliseconds(),
            "absolute_expires_at", session.AbsoluteExpiresAt.ToUnixTimeMilliseconds(),
            "state", session.State,
            "version", session.Version,
        };
        if (session.UserId is not null)
        {
            values.AddRange(["user_id", session.UserId]);
        }

        if (session.SigningKey is not null)
        {
            values.AddRange(["signing_key", session.SigningKey]);
        }

        await redis.ScriptAsync(
            CreateScript,
            [_keys.Session(session.IdHash), _keys.SessionsByExpiry, _keys.UserSessions(session.UserId ?? string.Empty)],
            [.. values]);
    }

    public async Task<SessionRecord?> FindAsync(byte[] idHash, CancellationToken cancellationToken)
    {
        var entries = await redis.GuardAsync(database => database.HashGetAllAsync(_keys.Session(idHash)));
        if (entries.Length == 0)
        {
            return null;
        }

        var fields = entries.ToDictionary(e => (string)e.Name!, e => e.Value);
        return new SessionRecord
        {
            IdHash = idHash,
            UserId = fields.TryGetValue("user_id", out var user) ? (string?)user : null,
            CreatedAt = Time(fields["created_at"]),
            ExpiresAt = Time(fields["expires_at"]),
            AbsoluteExpiresAt = Time(fields["absolute_expires_at"]),
            SigningKey = fields.TryGetValue("signing_key", out var key) ? (string?)key : null,
            State = (string?)fields["state"] ?? "{}",
            Version = (long)fields["version"],
        };
    }

    public async Task<bool> TryUpdateStateAsync(byte[] idHash, long expectedVersion, string state, CancellationToken cancellationToken) =>
        (int)await redis.ScriptAsync(UpdateStateScript, [_keys.Session(idHash)], [expectedVersion, state]) == 1;

    public Task RenewAsync(byte[] idHash, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        redis.ScriptAsync(
            RenewScript,
            [_keys.Session(idHash), _keys.SessionsByExpiry],
            [expiresAt.ToUnixTimeMilliseconds(), time.GetUtcNow().ToUnixTimeMilliseconds(), RedisKeys.SessionMember(idHash), GraceMilliseconds]);

    public Task DeleteAsync(byte[] idHash, CancellationToken cancellationToken) =>
        redis.ScriptAsync(
            DeleteScript,
            [_keys.Session(idHash), _keys.SessionsByExpiry],
            [RedisKeys.SessionMember(idHash), _keys.UserSessionsPrefix]);

    public async Task<int> DeleteByUserAsync(string userId, CancellationToken cancellationToken) =>
        (int)await redis.ScriptAsync(
            DeleteByUserScript,
            [_keys.UserSessions(userId), _keys.SessionsByExpiry],
            [_keys.SessionPrefix]);

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var result = (RedisResult[])(await redis.ScriptAsync(
                DeleteExpiredScript,
                [_keys.SessionsByExpiry],
                [now.ToUnixTimeMilliseconds(), _keys.SessionPrefix, _keys.UserSessionsPrefix, SweepBatch]))!;
            total += (int)result[0];
            if ((int)result[1] < SweepBatch)
            {
                return total;
            }
        }
    }

    public Task PrepareAsync(CancellationToken cancellationToken) => redis.PrepareAsync(cancellationToken);

    private long TimeToLive(long expiryMilliseconds) =>
        Math.Max(expiryMilliseconds - time.GetUtcNow().ToUnixTimeMilliseconds(), 1) + GraceMilliseconds;

    private static DateTimeOffset Time(RedisValue value) => DateTimeOffset.FromUnixTimeMilliseconds((long)value);
}
