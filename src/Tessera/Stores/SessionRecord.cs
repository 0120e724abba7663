namespace Tessera.Stores;

/// <summary>
/// A session as stores keep it. It is found by the SHA-256 hash of its id, so a copy of the store holds no id a
/// client could present.
/// </summary>
public sealed record SessionRecord
{
    /// <summary>SHA-256 of the session id the client holds.</summary>
    public required byte[] IdHash { get; init; }

    /// <summary>The user the session belongs to, or null for an anonymous session.</summary>
    public string? UserId { get; init; }

    /// <summary>When the session was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the session expires unless renewed.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The hard limit no renewal goes past.</summary>
    public required DateTimeOffset AbsoluteExpiresAt { get; init; }

    /// <summary>The per-session key of the toto and signed signing modes, or null.</summary>
    public string? SigningKey { get; init; }

    /// <summary>The session's state as a JSON object.</summary>
    public string State { get; init; } = "{}";

    /// <summary>Incremented by every state write; the basis of optimistic concurrency.</summary>
    public long Version { get; init; }
}
