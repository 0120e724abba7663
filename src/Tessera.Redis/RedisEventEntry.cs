using System.Text.Json;
using Tessera.Stores;

namespace Tessera.Redis;

/// <summary>
/// An event as the Redis log keeps it: <c>id published_at_ms topic json</c> (topics have no spaces). The pub/sub
/// notice is the same, preceded by the id of the event before it.
/// </summary>
internal readonly record struct RedisEventEntry(EventMessage Message)
{
    public static RedisEventEntry Parse(string entry)
    {
        var span = entry.AsSpan();
        var id = long.Parse(Next(ref span));
        var publishedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(Next(ref span)));
        var topic = Next(ref span).ToString();
        using var document = JsonDocument.Parse(span.ToString());
        return new RedisEventEntry(new EventMessage(id, topic, document.RootElement.Clone(), publishedAt));
    }

    /// <summary>The notice for a published message; "read the log" for anything that is not one of ours.</summary>
    public static EventLogNotice ParseNotice(string notice)
    {
        var space = notice.IndexOf(' ', StringComparison.Ordinal);
        try
        {
            return space > 0 && long.TryParse(notice.AsSpan(0, space), out var previous)
                ? new EventLogNotice(previous, Parse(notice[(space + 1)..]).Message)
                : EventLogNotice.ReadTheLog;
        }
        catch (Exception exception) when (exception is FormatException or JsonException or OverflowException)
        {
            return EventLogNotice.ReadTheLog;
        }
    }

    private static ReadOnlySpan<char> Next(ref ReadOnlySpan<char> rest)
    {
        var space = rest.IndexOf(' ');
        if (space < 0)
        {
            throw new FormatException("A Redis event entry is cut short.");
        }

        var part = rest[..space];
        rest = rest[(space + 1)..];
        return part;
    }
}
