namespace Tessera.Wires.MessagePack;

/// <summary>A MessagePack input that is malformed, truncated, or holds a value JSON cannot express.</summary>
internal sealed class MessagePackFormatException(string message, int offset)
    : Exception($"{message} (at byte {offset}).")
{
    public int Offset { get; } = offset;
}
