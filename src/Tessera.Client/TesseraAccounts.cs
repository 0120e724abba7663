using System.Text.Json;

namespace Tessera.Client;

/// <summary>
/// Accounts and sessions (the <c>account.*</c> methods): creating an account or signing in keeps the new session, and
/// its signing key when the service signs requests, for every later call of the client; signing out forgets it.
/// </summary>
public sealed class TesseraAccounts
{
    private readonly TesseraClient _client;

    internal TesseraAccounts(TesseraClient client) => _client = client;

    /// <summary>Creates an account (<c>account.create</c>), which also signs in.</summary>
    public Task<TesseraSession> CreateAsync(string userId, string password, CancellationToken cancellationToken = default) =>
        SignInAsync("account.create", _client.CreateParameters().Add("user_id", userId).Add("password", password), cancellationToken);

    /// <summary>Signs in (<c>account.login</c>); <paramref name="totp"/> is the code of an account with two-factor sign-in.</summary>
    public Task<TesseraSession> LoginAsync(string userId, string password, string? totp = null, CancellationToken cancellationToken = default)
    {
        var parameters = _client.CreateParameters().Add("user_id", userId).Add("password", password);
        if (totp is not null)
        {
            parameters.Add("totp", totp);
        }

        return SignInAsync("account.login", parameters, cancellationToken);
    }

    /// <summary>Ends the session on the service (<c>account.logout</c>) and forgets it here.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        if (_client.Session is null)
        {
            return;
        }

        try
        {
            await _client.InvokeAsync("account.logout", _client.CreateParameters(), cancellationToken);
        }
        finally
        {
            _client.Session = null;
        }
    }

    private async Task<TesseraSession> SignInAsync(string method, TesseraParameters parameters, CancellationToken cancellationToken)
    {
        var result = await _client.InvokeAsync(method, parameters.ToJson(), null, cancellationToken);
        if (result.ValueKind != JsonValueKind.Object || !result.TryGetProperty("session_id"u8, out var id) || id.GetString() is not { } sessionId)
        {
            throw new TesseraTransportException($"'{method}' answered without a session: {result.GetRawText()}", requestSent: true);
        }

        var userId = result.TryGetProperty("user_id"u8, out var user) ? user.GetString() : null;
        var key = result.TryGetProperty("key"u8, out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        DateTimeOffset? expires = result.TryGetProperty("expires"u8, out var e) && e.TryGetDouble(out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;
        _client.Session = new SessionState(sessionId, userId, key, expires);
        return new TesseraSession(sessionId, userId, expires);
    }
}
