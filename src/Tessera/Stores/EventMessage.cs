using System.Text.Json;

namespace Tessera;

/// <summary>A published event: its place in the event log, its topic and its JSON data.</summary>
/// <param name="Id">Monotonically increasing across every process sharing the store; the SSE event id.</param>
/// <param name="Topic">Dot-separated, for example <c>chat.message</c>.</param>
/// <param name="Data">The payload, as JSON.</param>
/// <param name="PublishedAt">When it was published.</param>
public sealed record EventMessage(long Id, string Topic, JsonElement Data, DateTimeOffset PublishedAt);
