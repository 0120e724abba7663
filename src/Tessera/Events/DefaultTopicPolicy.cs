using Microsoft.AspNetCore.Http;

namespace Tessera.Events;

/// <summary>Public topics for everyone; <c>user.{id}.*</c> for that user only.</summary>
internal sealed class DefaultTopicPolicy : ITopicPolicy
{
    public ValueTask<bool> CanSubscribeAsync(string pattern, string? userId, HttpContext http) =>
        ValueTask.FromResult(TopicPattern.OwnerOf(pattern) is not { } owner || owner == userId);
}
