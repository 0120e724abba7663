using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tessera.Buffers;

/// <summary>
/// One <see cref="Utf8JsonWriter"/> per thread, reset onto each output, as System.Text.Json keeps one for its own
/// serializer: every answer and every saved session state built a new writer (~140 bytes and its set-up), an
/// authenticated call two of them.
/// </summary>
internal static class JsonWriterCache
{
    /// <summary>The answers' options: ASCII-only output (the Toto wire's rule), no validation of what Tessera writes.</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default, SkipValidation = true };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// A writer with <see cref="Options"/> onto <paramref name="output"/>, flushed into it and given back when the
    /// lease is disposed. A ref struct: the lease cannot outlive an <c>await</c>, so the writer stays on its thread.
    /// </summary>
    public static Lease Rent(IBufferWriter<byte> output)
    {
        var writer = t_writer;
        if (writer is null)
        {
            // None cached, or this thread's is in use by an outer lease: a writer of its own.
            return new Lease(new Utf8JsonWriter(output, Options));
        }

        t_writer = null;
        writer.Reset(output);
        return new Lease(writer);
    }

    /// <summary>A rented writer; disposing it flushes what was written and returns the writer to its thread.</summary>
    public readonly ref struct Lease(Utf8JsonWriter writer)
    {
        public Utf8JsonWriter Writer { get; } = writer;

        public void Dispose()
        {
            Writer.Flush();
            // Let go of the output (a pooled buffer about to be returned) by pointing the writer at nothing of value.
            Writer.Reset(Sink.Instance);
            t_writer = Writer;
        }
    }

    /// <summary>An output a cached writer holds between leases; nothing is ever written to it.</summary>
    private sealed class Sink : IBufferWriter<byte>
    {
        public static readonly Sink Instance = new();

        public void Advance(int count) => throw new InvalidOperationException("A cached JSON writer was used outside its lease.");

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("A cached JSON writer was used outside its lease.");

        public Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("A cached JSON writer was used outside its lease.");
    }
}
