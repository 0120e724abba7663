using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Tessera.Stores;

namespace Tessera.Auth.Sessions;

/// <summary>
/// Stateless sessions (Toto's client-side cache, done safely): the whole session record travels inside the id,
/// encrypted and authenticated with ASP.NET Core Data Protection, so no store lookup is needed. A tampered or foreign
/// id does not decrypt and is simply no session.
/// </summary>
internal sealed class StatelessSessionCodec(IDataProtectionProvider protection)
{
    public const string Prefix = "s.";
    public const int MaxLength = 8192;

    private readonly IDataProtector _protector = protection.CreateProtector("Tessera.StatelessSessions.v1");

    public static bool IsStatelessId(string? id) => id is { Length: > 2 and <= MaxLength } && id.StartsWith(Prefix, StringComparison.Ordinal);

    public string Encode(SessionRecord record)
    {
        var payload = new Payload(
            record.IdHash, record.UserId, record.CreatedAt.ToUnixTimeMilliseconds(), record.ExpiresAt.ToUnixTimeMilliseconds(),
            record.AbsoluteExpiresAt.ToUnixTimeMilliseconds(), record.SigningKey, record.State, record.Version);
        return Prefix + Base64Url.EncodeToString(_protector.Protect(JsonSerializer.SerializeToUtf8Bytes(payload, AuthJsonContext.Default.Payload)));
    }

    public SessionRecord? Decode(string id)
    {
        try
        {
            var payload = JsonSerializer.Deserialize(_protector.Unprotect(Base64Url.DecodeFromChars(id.AsSpan(Prefix.Length))), AuthJsonContext.Default.Payload);
            return payload is null ? null : new SessionRecord
            {
                IdHash = payload.Id,
                UserId = payload.User,
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(payload.Created),
                ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(payload.Expires),
                AbsoluteExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(payload.Absolute),
                SigningKey = payload.Key,
                State = payload.State,
                Version = payload.Version,
            };
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The key under which a revoked stateless session is remembered until it would have expired.</summary>
    public static string RevocationKey(SessionRecord record) => "revoked:" + Convert.ToHexString(record.IdHash);

    internal sealed record Payload(
        [property: JsonPropertyName("i")] byte[] Id,
        [property: JsonPropertyName("u")] string? User,
        [property: JsonPropertyName("c")] long Created,
        [property: JsonPropertyName("e")] long Expires,
        [property: JsonPropertyName("a")] long Absolute,
        [property: JsonPropertyName("k")] string? Key,
        [property: JsonPropertyName("s")] string State,
        [property: JsonPropertyName("v")] long Version);
}
