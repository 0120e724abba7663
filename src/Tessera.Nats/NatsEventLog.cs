using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Tessera.Stores;

namespace Tessera.Nats;

/// <summary>
/// The event log on a NATS JetStream stream: one subject, file storage, limits from <c>event_log_max_count</c> and
/// <c>event_log_max_age</c>. An event's id is its stream sequence, monotonic for the stream, so <c>Last-Event-ID</c>
/// resumes on any instance; its topic and publication time travel in headers. Every instance follows the stream with an
/// ordered consumer, so events published elsewhere arrive as they are stored, and a NATS restart or reconnection is
/// followed by a read of the log from where delivery stopped.
/// </summary>
internal sealed class NatsEventLog : IEventLog, IEventLogFeed, IStoreStartup, IStoreProbe, IAsyncDisposable
{
    private const string TopicHeader = "Tessera-Topic";
    private const string PublishedHeader = "Tessera-Published";
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly NatsConnection _connection;
    private readonly NatsJSContext _jetStream;
    private readonly EventOptions _events;
    private readonly ILogger<NatsEventLog> _logger;
    private readonly SemaphoreSlim _prepare = new(1, 1);
    private volatile bool _prepared;

    public NatsEventLog(IOptions<StorageOptions> storage, IOptions<EventOptions> events, ILogger<NatsEventLog> logger)
    {
        Stream = storage.Value.NatsStream;
        Timeout = TimeSpan.FromSeconds(storage.Value.StoreTimeout);
        _events = events.Value;
        _logger = logger;
        _connection = new NatsConnection(new NatsOpts
        {
            Url = storage.Value.Nats,
            Name = "tessera",
            ConnectTimeout = Timeout,
            RequestTimeout = Timeout,
            CommandTimeout = Timeout,
        });
        _jetStream = new NatsJSContext(_connection);
    }

    public const string StoreName = "nats";

    public string Stream { get; }

    private TimeSpan Timeout { get; }

    /// <summary>A round trip to the server (PING/PONG) on the connection the log uses.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken) => await _connection.PingAsync(cancellationToken);

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (_prepared)
        {
            return;
        }

        await _prepare.WaitAsync(cancellationToken);
        try
        {
            if (!_prepared)
            {
                await GuardAsync(() => _jetStream.CreateOrUpdateStreamAsync(
                    new StreamConfig(Stream, [Stream])
                    {
                        Storage = StreamConfigStorage.File,
                        Retention = StreamConfigRetention.Limits,
                        Discard = StreamConfigDiscard.Old,
                        MaxMsgs = _events.EventLogMaxCount,
                        MaxAge = TimeSpan.FromSeconds(_events.EventLogMaxAge),
                    },
                    cancellationToken).AsTask());
                _prepared = true;
            }
        }
        finally
        {
            _prepare.Release();
        }
    }

    public async Task<EventMessage> AppendAsync(string topic, string data, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken);
        if (_connection.ConnectionState != NatsConnectionState.Open)
        {
            // The client would hold the message and send it after reconnecting, long after the caller was told 1013:
            // a refused publish must not appear later, so nothing is handed to a connection that is not up.
            throw new StoreUnavailableException(StoreName, new NatsException($"Not connected to NATS ({_connection.ConnectionState})."));
        }

        var headers = new NatsHeaders
        {
            [TopicHeader] = topic,
            [PublishedHeader] = publishedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        var ack = await GuardAsync(() => _jetStream.PublishAsync(Stream, System.Text.Encoding.UTF8.GetBytes(data), headers: headers, cancellationToken: cancellationToken).AsTask());
        ack.EnsureSuccess();
        using var document = JsonDocument.Parse(data);
        return new EventMessage((long)ack.Seq, topic, document.RootElement.Clone(), publishedAt);
    }

    public async Task<IReadOnlyList<EventMessage>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken);
        return await GuardAsync(async () =>
        {
            var found = new List<EventMessage>();
            var (first, last) = await StateAsync(cancellationToken);
            var from = Math.Max((ulong)afterId + 1, first);
            if (last < from || last == 0)
            {
                return found;
            }

            var consumer = await _jetStream.CreateOrderedConsumerAsync(Stream, new NatsJSOrderedConsumerOpts
            {
                DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
                OptStartSeq = from,
            }, cancellationToken);
            var wanted = (int)Math.Min(limit, (long)(last - from + 1));
            await foreach (var message in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = wanted, Expires = TimeSpan.FromSeconds(2) }, cancellationToken: cancellationToken))
            {
                found.Add(ToEvent(message));
                if (found.Count >= wanted)
                {
                    break;
                }
            }

            return found;
        });
    }

    public async Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken);
        return (long)await GuardAsync(() => LastSequenceAsync(cancellationToken));
    }

    /// <summary>
    /// The stream's own limits drop old events by count and by the server's clock; this trims by the events' own
    /// publication times as well: everything before the newest <paramref name="keep"/> and before the first event not
    /// older than <paramref name="olderThan"/> is purged.
    /// </summary>
    public async Task<int> TrimAsync(int keep, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var (first, last) = await RangeAsync(cancellationToken);
        var youngFrom = (long)last + 1;
        var afterId = 0L;
        while (true)
        {
            var batch = await ReadAfterAsync(afterId, 500, cancellationToken);
            var young = batch.FirstOrDefault(e => e.PublishedAt >= olderThan);
            if (young is not null || batch.Count == 0)
            {
                youngFrom = young?.Id ?? youngFrom;
                break;
            }

            afterId = batch[^1].Id;
        }

        var purgeBelow = Math.Max((long)last - keep + 1, youngFrom);
        if (purgeBelow <= (long)first)
        {
            return 0;
        }

        var response = await GuardAsync(() => _jetStream.PurgeStreamAsync(Stream, new StreamPurgeRequest { Seq = (ulong)purgeBelow }, cancellationToken).AsTask());
        return (int)response.Purged;
    }

    public async Task ListenAsync(Action<EventLogNotice> onNotice, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PrepareAsync(cancellationToken);
                var consumer = await _jetStream.CreateOrderedConsumerAsync(Stream, new NatsJSOrderedConsumerOpts
                {
                    DeliverPolicy = ConsumerConfigDeliverPolicy.New,
                }, cancellationToken);
                onNotice(EventLogNotice.ReadTheLog);
                await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: cancellationToken))
                {
                    var received = ToEvent(message);
                    onNotice(new EventLogNotice(received.Id - 1, received));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.FeedFailed(_logger, exception);
                onNotice(EventLogNotice.ReadTheLog);
                await Task.Delay(ReconnectDelay, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _prepare.Dispose();
    }

    private async Task<ulong> LastSequenceAsync(CancellationToken cancellationToken) => (await StateAsync(cancellationToken)).Last;

    private async Task<(ulong First, ulong Last)> StateAsync(CancellationToken cancellationToken)
    {
        var state = (await _jetStream.GetStreamAsync(Stream, cancellationToken: cancellationToken)).Info.State;
        return (state.FirstSeq, state.LastSeq);
    }

    private async Task<(ulong First, ulong Last)> RangeAsync(CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken);
        return await GuardAsync(() => StateAsync(cancellationToken));
    }

    private static EventMessage ToEvent(INatsJSMsg<byte[]> message)
    {
        var headers = message.Headers!;
        using var document = JsonDocument.Parse(message.Data ?? []);
        return new EventMessage(
            (long)message.Metadata!.Value.Sequence.Stream,
            headers[TopicHeader].ToString(),
            document.RootElement.Clone(),
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(headers[PublishedHeader].ToString(), CultureInfo.InvariantCulture)));
    }

    /// <summary>Runs <paramref name="work"/> within <c>store_timeout</c>, turning an unreachable server into error 1013.</summary>
    private async Task<T> GuardAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work().WaitAsync(Timeout);
        }
        catch (Exception exception) when (exception is NatsException or TimeoutException or NatsJSApiNoResponseException
            or System.Net.Sockets.SocketException or IOException)
        {
            throw new StoreUnavailableException(StoreName, exception);
        }
    }
}
