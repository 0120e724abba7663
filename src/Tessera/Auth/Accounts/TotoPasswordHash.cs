using System.Security.Cryptography;
using System.Text;

namespace Tessera.Auth.Accounts;

/// <summary>
/// Verifies password hashes imported from Toto: <c>$p5k2$$&lt;salt&gt;$&lt;hash&gt;</c>, PBKDF2-HMAC-SHA1 of the password
/// salted with the whole <c>$p5k2$$&lt;salt&gt;</c> prefix, 400 iterations (or the hex count between the first two
/// <c>$</c> when one is given), 24 bytes, base64 with <c>.</c> for <c>+</c>.
/// Such hashes are only ever verified, then replaced with a strong one.
/// </summary>
internal static class TotoPasswordHash
{
    public const string Prefix = "$p5k2$";
    private const int DefaultIterations = 400;
    private const int HashBytes = 24;

    public static bool Verify(string password, string stored)
    {
        var lastDollar = stored.LastIndexOf('$');
        if (lastDollar <= Prefix.Length)
        {
            return false;
        }

        var salt = stored[..lastDollar];
        var countEnd = salt.IndexOf('$', Prefix.Length);
        if (countEnd < 0 || !TryParseIterations(salt[Prefix.Length..countEnd], out var iterations))
        {
            return false;
        }
        byte[] expected;
        try
        {
            expected = Convert.FromBase64String(stored[(lastDollar + 1)..].Replace('.', '+'));
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length != HashBytes)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), iterations, HashAlgorithmName.SHA1, HashBytes);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParseIterations(string hex, out int iterations)
    {
        iterations = DefaultIterations;
        return hex.Length == 0
            || (int.TryParse(hex, System.Globalization.NumberStyles.AllowHexSpecifier, null, out iterations)
                && iterations is > 0 and <= 10_000_000);
    }
}
