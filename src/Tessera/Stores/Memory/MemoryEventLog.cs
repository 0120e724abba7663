using System.Text.Json;

namespace Tessera.Stores.Memory;

/// <summary>The event log in process memory, for one process.</summary>
internal sealed class MemoryEventLog : IEventLog
{
    private readonly Lock _lock = new();
    private readonly List<EventMessage> _events = [];
    private long _lastId;

    public Task<EventMessage> AppendAsync(string topic, string data, DateTimeOffset publishedAt, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(data);
        lock (_lock)
        {
            var message = new EventMessage(++_lastId, topic, document.RootElement.Clone(), publishedAt);
            _events.Add(message);
            return Task.FromResult(message);
        }
    }

    public Task<IReadOnlyList<EventMessage>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var start = _events.FindIndex(e => e.Id > afterId);
            IReadOnlyList<EventMessage> found = start < 0 ? [] : _events.GetRange(start, Math.Min(limit, _events.Count - start));
            return Task.FromResult(found);
        }
    }

    public Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_lastId);
        }
    }

    public Task<int> TrimAsync(int keep, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var before = _events.Count;
            _events.RemoveAll(e => e.PublishedAt < olderThan);
            if (_events.Count > keep)
            {
                _events.RemoveRange(0, _events.Count - keep);
            }

            return Task.FromResult(before - _events.Count);
        }
    }
}
