using Microsoft.AspNetCore.Http;

namespace Tessera;

/// <summary>
/// Decides who may subscribe to what over SSE and WebSocket. The default lets anyone read every topic except
/// <c>user.{user_id}</c> and <c>user.{user_id}.*</c>, which only that signed-in user may read. Register your own to
/// make topics private; per-user topics are guarded again when events are delivered, so a wildcard never leaks them.
/// </summary>
public interface ITopicPolicy
{
    /// <summary>True when the caller (<paramref name="userId"/> null when anonymous) may subscribe to <paramref name="pattern"/>.</summary>
    ValueTask<bool> CanSubscribeAsync(string pattern, string? userId, HttpContext http);
}
