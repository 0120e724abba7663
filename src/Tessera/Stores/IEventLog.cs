namespace Tessera.Stores;

/// <summary>
/// The retained events, in publication order. Ids only grow; processes sharing a log see each other's events by
/// reading after the last id they delivered.
/// </summary>
public interface IEventLog
{
    /// <summary>Appends an event with its JSON data and answers it with its new id.</summary>
    Task<EventMessage> AppendAsync(string topic, string data, DateTimeOffset publishedAt, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> events with ids above <paramref name="afterId"/>, oldest first.</summary>
    Task<IReadOnlyList<EventMessage>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>The id of the newest event, or 0 when there is none.</summary>
    Task<long> LastIdAsync(CancellationToken cancellationToken);

    /// <summary>Drops events beyond the newest <paramref name="keep"/> and those older than <paramref name="olderThan"/>.</summary>
    Task<int> TrimAsync(int keep, DateTimeOffset olderThan, CancellationToken cancellationToken);
}
