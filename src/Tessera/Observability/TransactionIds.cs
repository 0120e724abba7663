using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tessera.Observability;

/// <summary>
/// Transaction ids: one per call, shown in logs and in error answers so a report can be matched to its log line. They
/// must be unique, not secret. <see cref="Guid.NewGuid"/> costs about 1 µs here (a random-bytes system call per id),
/// which was more than a whole quick call; these cost a few nanoseconds: a random 64-bit prefix chosen once per
/// process, and a counter scrambled by a random odd multiplier (a bijection, so ids never repeat within a process,
/// and the number of calls served does not show in them).
/// </summary>
internal sealed class TransactionIds
{
    private readonly ulong _prefix;
    private readonly ulong _multiplier;
    private ulong _counter;

    public TransactionIds()
    {
        Span<byte> random = stackalloc byte[24];
        RandomNumberGenerator.Fill(random);
        _prefix = BinaryPrimitives.ReadUInt64LittleEndian(random);
        _multiplier = BinaryPrimitives.ReadUInt64LittleEndian(random[8..]) | 1;
        _counter = BinaryPrimitives.ReadUInt64LittleEndian(random[16..]);
    }

    /// <summary>The generator every call of this process uses.</summary>
    public static TransactionIds Shared { get; } = new();

    /// <summary>A new id, unique within this process, and across processes but for a 1-in-2^64 chance.</summary>
    public Guid Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, _prefix);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], unchecked(Interlocked.Increment(ref _counter) * _multiplier));
        return new Guid(bytes);
    }
}
