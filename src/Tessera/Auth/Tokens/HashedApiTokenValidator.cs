using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Tessera.Auth.Tokens;

/// <summary>
/// The default validator: the SHA-256 of the presented token must equal one of the configured hashes. Every
/// configured hash is compared, each in constant time, so timing reveals neither which nor how much matched.
/// </summary>
internal sealed class HashedApiTokenValidator(IOptions<SecurityOptions> options) : IApiTokenValidator
{
    private readonly byte[][] _hashes = Parse(options.Value.ApiTokenHashes);

    public ValueTask<bool> ValidateAsync(string token, MethodContext context)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var valid = false;
        foreach (var hash in _hashes)
        {
            valid |= CryptographicOperations.FixedTimeEquals(presented, hash);
        }

        return ValueTask.FromResult(valid);
    }

    private static byte[][] Parse(string hashes) =>
        [.. hashes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(hex => hex.Length == 64
                ? Convert.FromHexString(hex)
                : throw new InvalidOperationException(
                    "api_token_hashes must list SHA-256 hashes as 64 hex characters, separated by commas."))];
}
