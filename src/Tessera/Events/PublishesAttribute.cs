namespace Tessera;

/// <summary>
/// Declares that a method publishes events on <see cref="Topic"/>, with payloads of <see cref="PayloadType"/>, so the
/// service's description (<c>/_tessera/openrpc.json</c>, <c>x-tessera-events</c>) tells clients what they can subscribe
/// to. It documents; publishing is still done by <see cref="IEventBus"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class PublishesAttribute(string topic) : Attribute
{
    /// <summary>The topic, e.g. <c>announcements</c>; <c>user.me.inbox</c> for a user's private topic.</summary>
    public string Topic { get; } = topic;

    /// <summary>The payload's type, described as JSON Schema; null when not given.</summary>
    public Type? PayloadType { get; init; }
}
