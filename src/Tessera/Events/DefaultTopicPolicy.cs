using Microsoft.AspNetCore.Http;

namespace Tessera.Events;

/// <summary>Public topics for everyone; <c>user.{segment}.*</c> (see <see cref="PrivateTopics"/>) for that user only.</summary>
internal sealed class DefaultTopicPolicy : ITopicPolicy
{
    public ValueTask<bool> CanSubscribeAsync(string pattern, string? userId, HttpContext http) =>
        ValueTask.FromResult(PrivateTopics.OwnerOf(pattern) is not { } owner || owner == PrivateTopics.SegmentOrNull(userId));
}
