using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Tessera.Stores;

namespace Tessera.Redis;

/// <summary>
/// The event log in Redis: a sorted set scored by id, capped at <c>event_log_max_count</c> on every append, and a
/// pub/sub channel on which each append announces itself. One Lua script takes the id, stores the event and
/// publishes it, so ids have no gaps and subscribers hear events in id order.
/// </summary>
internal sealed class RedisEventLog(RedisConnection redis, IOptions<EventOptions> options, ILogger<RedisEventLog> logger)
    : IEventLog, IEventLogFeed, IStoreStartup
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private const string AppendScript = """
        local id = redis.call('INCR', KEYS[1])
        local entry = id .. ' ' .. ARGV[2] .. ' ' .. ARGV[3] .. ' ' .. ARGV[4]
        redis.call('ZADD', KEYS[2], id, entry)
        local cap = tonumber(ARGV[5])
        if cap > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -cap - 1) end
        redis.call('PUBLISH', ARGV[1], (id - 1) .. ' ' .. entry)
        return id
        """;

    private const string TrimScript = """
        local removed = redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[1]) - 1)
        while true do
            local oldest = redis.call('ZRANGE', KEYS[1], 0, 0)
            if #oldest == 0 then break end
            local published = tonumber(string.match(oldest[1], '^%d+ (%d+) '))
            if published >= tonumber(ARGV[2]) then break end
            redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
            removed = removed + 1
        end
        return removed
        """;

    public async Task<EventMessage> AppendAsync(string topic, string data, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        var id = (long)await redis.ScriptAsync(
            AppendScript,
            [redis.Keys.EventIds, redis.Keys.Events],
            [(string)redis.Keys.EventChannel!, publishedAt.ToUnixTimeMilliseconds(), topic, data, options.Value.EventLogMaxCount]);
        using var document = JsonDocument.Parse(data);
        return new EventMessage(id, topic, document.RootElement.Clone(), publishedAt);
    }

    public async Task<IReadOnlyList<EventMessage>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        var entries = await redis.GuardAsync(database => database.SortedSetRangeByScoreAsync(
            redis.Keys.Events, afterId, double.PositiveInfinity, Exclude.Start, Order.Ascending, 0, limit));
        return [.. entries.Select(entry => RedisEventEntry.Parse(entry!).Message)];
    }

    public async Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        var last = await redis.GuardAsync(database => database.StringGetAsync(redis.Keys.EventIds));
        return last.HasValue ? (long)last : 0;
    }

    public async Task<int> TrimAsync(int keep, DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        (int)await redis.ScriptAsync(TrimScript, [redis.Keys.Events], [keep, olderThan.ToUnixTimeMilliseconds()]);

    public async Task ListenAsync(Action<EventLogNotice> onNotice, CancellationToken cancellationToken)
    {
        void OnRestored(object? sender, ConnectionFailedEventArgs e) => onNotice(EventLogNotice.ReadTheLog);

        ConnectionMultiplexer? multiplexer = null;
        try
        {
            while (true)
            {
                try
                {
                    multiplexer ??= await RedisConnection.GuardAsync(redis.MultiplexerAsync);
                    multiplexer.ConnectionRestored -= OnRestored;
                    multiplexer.ConnectionRestored += OnRestored;
                    // StackExchange.Redis re-subscribes by itself after a reconnect; only the first subscribe is ours.
                    await RedisConnection.GuardAsync(() => multiplexer.GetSubscriber().SubscribeAsync(
                        redis.Keys.EventChannel,
                        (_, value) => onNotice(RedisEventEntry.ParseNotice(value!))));
                    break;
                }
                catch (StoreUnavailableException unavailable)
                {
                    Log.SubscribeFailed(logger, unavailable.Inner);
                    await Task.Delay(RetryDelay, cancellationToken);
                }
            }

            Log.Listening(logger);
            onNotice(EventLogNotice.ReadTheLog);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (multiplexer is not null)
            {
                multiplexer.ConnectionRestored -= OnRestored;
            }
        }
    }

    public Task PrepareAsync(CancellationToken cancellationToken) => redis.PrepareAsync(cancellationToken);
}
