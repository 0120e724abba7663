namespace Tessera.Stores;

/// <summary>An account as stores keep it. The password is only ever a hash.</summary>
public sealed record AccountRecord
{
    /// <summary>The lower-cased user id.</summary>
    public required string UserId { get; init; }

    /// <summary>The password hash in its versioned string format.</summary>
    public required string PasswordHash { get; init; }

    /// <summary>Extra fields given at creation or update, as a JSON object.</summary>
    public string Fields { get; init; } = "{}";

    /// <summary>The roles the account holds.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>When the account was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Sessions created before this moment are no longer valid (set when all sessions of the user end).</summary>
    public DateTimeOffset? SessionsValidAfter { get; init; }
}
