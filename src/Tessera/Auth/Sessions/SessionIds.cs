using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Tessera.Auth.Sessions;

/// <summary>
/// Session ids: 16 random bytes as 22 URL-safe base64 characters. Stores see only their SHA-256, so a copy of the
/// database holds no live id.
/// </summary>
internal static class SessionIds
{
    public const int Length = 22;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>A fresh random key for the toto and signed signing modes (22 characters, like Toto's).</summary>
    public static string NewSigningKey() => New();

    public static bool IsWellFormed(string? id)
    {
        if (id is null || id.Length != Length)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static byte[] Hash(string id)
    {
        // Ids are short (22 characters when well formed): hashed from the stack, without a copy on the heap.
        Span<byte> ascii = id.Length <= 256 ? stackalloc byte[id.Length] : new byte[id.Length];
        Encoding.ASCII.GetBytes(id, ascii);
        return SHA256.HashData(ascii);
    }
}
