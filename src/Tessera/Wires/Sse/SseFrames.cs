using System.Runtime.CompilerServices;
using System.Text;

namespace Tessera.Wires.Sse;

/// <summary>
/// The bytes of an event's SSE frame, made once per event and shared by every stream that shows it under the same
/// topic name: with a thousand subscribers, one event is formatted once, not a thousand times. Entries live as long as
/// the event does.
/// </summary>
internal static class SseFrames
{
    private static readonly ConditionalWeakTable<EventMessage, Frame> Cache = new();

    public static ReadOnlyMemory<byte> For(EventMessage message, string presentedTopic)
    {
        if (Cache.TryGetValue(message, out var cached) && cached.Topic == presentedTopic)
        {
            return cached.Bytes;
        }

        var frame = new Frame(presentedTopic, Encoding.UTF8.GetBytes($"id: {message.Id}\nevent: {presentedTopic}\ndata: {message.Data.GetRawText()}\n\n"));
        // Private topics are shown under another name to their owner: the most common name wins the slot.
        Cache.AddOrUpdate(message, frame);
        return frame.Bytes;
    }

    private sealed record Frame(string Topic, byte[] Bytes);
}
