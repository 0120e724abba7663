using StackExchange.Redis;

namespace Tessera.Redis;

/// <summary>
/// The names of Tessera's keys and channel. Every key carries the hash tag <c>{prefix}</c>, so the keys one script
/// touches live in one slot of a Redis Cluster.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    private readonly string _tag = "{" + prefix + "}:";

    public RedisKey Session(byte[] idHash) => SessionPrefix + SessionMember(idHash);

    public string SessionPrefix => _tag + "session:";

    /// <summary>How a session is named inside the expiry index and the per-user sets.</summary>
    public static string SessionMember(byte[] idHash) => Convert.ToHexStringLower(idHash);

    public RedisKey SessionsByExpiry => _tag + "sessions:by-expiry";

    public RedisKey UserSessions(string userId) => _tag + "user-sessions:" + userId;

    public string UserSessionsPrefix => _tag + "user-sessions:";

    public RedisKey Nonce(string nonce) => _tag + "nonce:" + nonce;

    public RedisKey NoncesByExpiry => _tag + "nonces:by-expiry";

    public string NoncePrefix => _tag + "nonce:";

    public RedisKey EventIds => _tag + "events:last-id";

    public RedisKey Events => _tag + "events";

    public RedisChannel EventChannel => RedisChannel.Literal(_tag + "events");
}
