namespace Tessera.Client;

/// <summary>The session a client presents: its id, the signed-in user and the per-session signing key, replaced whole
/// (never edited) so concurrent calls always see one consistent session.</summary>
internal sealed record SessionState(string Id, string? UserId, string? Key, DateTimeOffset? Expires);
