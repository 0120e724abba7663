using System.Text.Json;

namespace Tessera.Client;

/// <summary>One event a service published.</summary>
/// <param name="Id">Its id in the service's event log; resuming after it gives the events that follow.</param>
/// <param name="Topic">The topic it was published on (a user's own topics read <c>user.me.*</c>).</param>
/// <param name="Data">Its payload as JSON.</param>
public sealed record TesseraEvent(long Id, string Topic, JsonElement Data);
