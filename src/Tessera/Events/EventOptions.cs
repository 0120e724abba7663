using System.ComponentModel;

namespace Tessera;

/// <summary>Event options, in the <c>Tessera:Events</c> section.</summary>
public sealed class EventOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "Tessera:Events";

    /// <summary>How often the event log is read for events other processes published, in milliseconds.</summary>
    [Description("Milliseconds between reads of the event log for events other processes published.")]
    public int EventPollInterval { get; set; } = 250;

    /// <summary>How many events the log keeps for resuming.</summary>
    [Description("Events the log keeps for clients resuming with Last-Event-ID.")]
    public int EventLogMaxCount { get; set; } = 10_000;

    /// <summary>How long the log keeps events, in seconds.</summary>
    [Description("Seconds the event log keeps events.")]
    public int EventLogMaxAge { get; set; } = 24 * 3600;

    /// <summary>How many events may wait for one slow connection or handler before it is cut off.</summary>
    [Description("Events that may wait for one connection or handler before it is cut off as too slow.")]
    public int EventQueueCapacity { get; set; } = 1000;

    /// <summary>Seconds between keep-alive comments on idle Server-Sent Events streams and pings on WebSockets.</summary>
    [Description("Seconds between SSE keep-alive comments and WebSocket pings.")]
    public int EventHeartbeat { get; set; } = 15;

    /// <summary>
    /// Origins allowed to open WebSockets, comma-separated (<c>*</c> for any). Requests without an Origin header and
    /// those from the server's own host are always allowed.
    /// </summary>
    [Description("Origins allowed to open WebSockets, comma-separated (* for any); the server's own host always is.")]
    public string AllowedOrigins { get; set; } = string.Empty;
}
