using System.Text.Json;
using Tessera.Stores;

namespace Tessera.PostgreSQL;

/// <summary>Reads the NOTIFY payloads written by <c>tessera_append_event</c>.</summary>
internal static class PostgresEventNotice
{
    /// <summary>
    /// The notice for a payload: the event when it is complete; a bare "read the log" when only ids came (the event
    /// was too large for NOTIFY) or the payload is not one of ours.
    /// </summary>
    public static EventLogNotice Parse(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (!root.TryGetProperty("id", out var id) || !root.TryGetProperty("previous_id", out var previous))
            {
                return EventLogNotice.ReadTheLog;
            }

            if (!root.TryGetProperty("data", out var data) || !root.TryGetProperty("topic", out var topic) ||
                !root.TryGetProperty("published_at", out var publishedAt))
            {
                return new EventLogNotice(previous.GetInt64(), null);
            }

            var message = new EventMessage(
                id.GetInt64(),
                topic.GetString()!,
                data.Clone(),
                DateTimeOffset.FromUnixTimeMilliseconds(publishedAt.GetInt64()));
            return new EventLogNotice(previous.GetInt64(), message);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return EventLogNotice.ReadTheLog;
        }
    }
}
