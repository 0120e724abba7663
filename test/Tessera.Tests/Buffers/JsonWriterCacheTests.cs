using System.Text;
using System.Text.Json;
using Tessera.Buffers;

namespace Tessera.Tests.Buffers;

/// <summary>
/// The per-thread JSON writer: each lease writes into its own output and only there, a lease taken inside another gets
/// a writer of its own, and a writer given back is reused clean, whatever state its last lease left it in.
/// </summary>
public sealed class JsonWriterCacheTests
{
    [Fact]
    public void ALease_FlushesIntoItsOutput_AndTheNextLeaseReusesTheWriterOnAnother()
    {
        using var first = new PooledBufferWriter();
        using var second = new PooledBufferWriter();
        Utf8JsonWriter used;
        using (var lease = JsonWriterCache.Rent(first))
        {
            used = lease.Writer;
            WriteObject(lease.Writer, "a", 1);
        }

        using (var lease = JsonWriterCache.Rent(second))
        {
            Assert.Same(used, lease.Writer);
            WriteObject(lease.Writer, "b", 2);
        }

        Assert.Equal("""{"a":1}""", Text(first));
        Assert.Equal("""{"b":2}""", Text(second));
    }

    [Fact]
    public void ALeaseInsideAnother_GetsAWriterOfItsOwn()
    {
        using var outer = new PooledBufferWriter();
        using var inner = new PooledBufferWriter();
        using (var outerLease = JsonWriterCache.Rent(outer))
        {
            outerLease.Writer.WriteStartObject();
            using (var innerLease = JsonWriterCache.Rent(inner))
            {
                Assert.NotSame(outerLease.Writer, innerLease.Writer);
                WriteObject(innerLease.Writer, "inner", 2);
            }

            outerLease.Writer.WriteNumber("outer", 1);
            outerLease.Writer.WriteEndObject();
        }

        Assert.Equal("""{"outer":1}""", Text(outer));
        Assert.Equal("""{"inner":2}""", Text(inner));
    }

    [Fact]
    public void AWriterLeftHalfWay_IsReusedFromAClean_State()
    {
        using var abandoned = new PooledBufferWriter();
        using (var lease = JsonWriterCache.Rent(abandoned))
        {
            // As when serializing a result throws halfway: an object and an array left open.
            lease.Writer.WriteStartObject();
            lease.Writer.WriteStartArray("list");
            lease.Writer.WriteNumberValue(1);
        }

        using var next = new PooledBufferWriter();
        using (var lease = JsonWriterCache.Rent(next))
        {
            Assert.Equal(0, lease.Writer.CurrentDepth);
            Assert.Equal(0, lease.Writer.BytesPending + lease.Writer.BytesCommitted);
            WriteObject(lease.Writer, "x", 3);
        }

        Assert.Equal("""{"x":3}""", Text(next));
    }

    [Fact]
    public void AWriterKeptPastItsLease_CannotWriteIntoTheOutputItLeft()
    {
        using var output = new PooledBufferWriter();
        Utf8JsonWriter kept;
        using (var lease = JsonWriterCache.Rent(output))
        {
            kept = lease.Writer;
            WriteObject(kept, "a", 1);
        }

        Assert.Throws<InvalidOperationException>(() =>
        {
            kept.WriteStartObject();
            kept.Flush();
        });
        Assert.Equal("""{"a":1}""", Text(output));
    }

    [Fact]
    public void Leases_OnManyThreadsAtOnce_NeverShareAWriter()
    {
        // Each thread writes its own number many times; a writer shared between two threads would mix their output.
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (var round = 0; round < 2_000; round++)
            {
                using var output = new PooledBufferWriter();
                using (var lease = JsonWriterCache.Rent(output))
                {
                    WriteObject(lease.Writer, "thread", thread);
                }

                Assert.Equal($$"""{"thread":{{thread}}}""", Text(output));
            }
        });
    }

    [Fact]
    public void TheAnswersOptions_WriteAsciiOnly()
    {
        using var output = new PooledBufferWriter();
        using (var lease = JsonWriterCache.Rent(output))
        {
            lease.Writer.WriteStringValue("café ✓");
        }

        Assert.Equal("\"caf\\u00E9 \\u2713\"", Text(output));
    }

    private static void WriteObject(Utf8JsonWriter writer, string name, int value)
    {
        writer.WriteStartObject();
        writer.WriteNumber(name, value);
        writer.WriteEndObject();
    }

    private static string Text(PooledBufferWriter buffer) => Encoding.UTF8.GetString(buffer.WrittenMemory.Span);
}
