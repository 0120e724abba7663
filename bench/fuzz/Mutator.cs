using System.Text;

namespace Tessera.Fuzz;

/// <summary>
/// Deterministic byte-level mutations in the manner of AFL and libFuzzer: bit flips, interesting bytes, inserted,
/// deleted, duplicated and truncated ranges, splices of two seeds and tokens of the formats under test, one to four
/// stacked per input.
/// </summary>
internal sealed class Mutator(Random random, IReadOnlyList<byte[]> tokens)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[',
        (byte)']', (byte)',', (byte)':', (byte)'<', (byte)'>', (byte)'&', (byte)'=', (byte)'%', (byte)'-', (byte)'\n', (byte)'\r', 0xc0, 0xdc, 0xde];

    public byte[] Mutate(byte[] input, IReadOnlyList<byte[]> seeds)
    {
        var data = new List<byte>(input);
        var rounds = 1 + random.Next(4);
        for (var round = 0; round < rounds; round++)
        {
            var position = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(9))
            {
                case 0 when data.Count > 0:
                    data[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[position] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    data.InsertRange(position, RandomBytes(1 + random.Next(8)));
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(position, Math.Min(data.Count - position, 1 + random.Next(16)));
                    break;
                case 4 when data.Count > 0:
                    var length = Math.Min(data.Count - position, 1 + random.Next(32));
                    data.InsertRange(random.Next(data.Count), data.GetRange(position, length));
                    break;
                case 5 when data.Count > 1:
                    data.RemoveRange(position, data.Count - position);
                    break;
                case 6:
                    var other = seeds[random.Next(seeds.Count)];
                    var from = random.Next(other.Length + 1);
                    data.InsertRange(position, other.Skip(from).Take(1 + random.Next(64)));
                    break;
                case 7:
                    data.InsertRange(position, tokens[random.Next(tokens.Count)]);
                    break;
                default:
                    if (data.Count > 0)
                    {
                        data[position] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return [.. data];
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    public static IReadOnlyList<byte[]> Tokens(params string[] tokens) => [.. tokens.Select(Encoding.UTF8.GetBytes)];
}
