namespace Tessera.Client;

/// <summary>The session a sign-in started: what <see cref="TesseraAccounts"/> answers.</summary>
/// <param name="SessionId">The id sent as <c>x-toto-session-id</c> on every later call.</param>
/// <param name="UserId">The signed-in user.</param>
/// <param name="Expires">When the session ends unless it is used (the server extends it on use).</param>
public sealed record TesseraSession(string SessionId, string? UserId, DateTimeOffset? Expires);
