using System.Security.Cryptography;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Tessera.Auth.Signing;
using Tessera.Errors;
using Tessera.Serialization;
using Tessera.Stores;
using Tessera.Threading;

namespace Tessera.Auth.Sessions;

/// <summary>The outcome of loading a request's session: the session (or none), or why the request is refused.</summary>
internal readonly record struct SessionLoad(Session? Session, MethodError? Error);

/// <summary>
/// Finds, creates, renews and ends sessions. A session id comes from the <c>x-toto-session-id</c> header or, with
/// <c>use_cookies</c>, the <c>toto-session-id</c> cookie (the header wins). Ids the server did not issue are never
/// adopted: an unknown id is simply no session.
/// </summary>
internal sealed class SessionManager(
    ISessionStore store,
    INonceStore nonces,
    StatelessSessionCodec stateless,
    RequestSignatures signatures,
    CrossSiteGuard crossSite,
    IOptions<TesseraSessionOptions> options,
    StoredJson storedJson,
    TimeProvider time)
{
    public const string HeaderName = "x-toto-session-id";
    public const string CookieName = "toto-session-id";
    public const string QueryName = "session_id";

    // Renewal writes at most once a minute per session, not on every call.
    private static readonly TimeSpan RenewalStep = TimeSpan.FromMinutes(1);

    private readonly TesseraSessionOptions _options = options.Value;
    private readonly SessionUpdateTurns _updateTurns = new();

    public bool UsesCookies => _options.UseCookies;

    /// <summary>How a session's values of type <typeparamref name="T"/> are stored (<see cref="StoredJson"/>).</summary>
    public JsonTypeInfo<T> StateTypeInfo<T>() => storedJson.TypeInfo<T>();

    /// <summary>
    /// The caller's session, looked up (and its signature checked) once per request or socket, however many calls ask.
    /// The answer names the caller's session as it stands now: a login or logout earlier in the request shows.
    /// </summary>
    public async ValueTask<SessionLoad> LoadAsync(Caller caller, CancellationToken cancellationToken)
    {
        var load = await caller.LoadOnceAsync(static (caller, self, token) => self.LookUpAsync(caller, token), this, cancellationToken);
        return load.Error is null ? new SessionLoad(caller.Session, null) : load;
    }

    /// <summary>The caller's session, or a new anonymous one, created at most once per request.</summary>
    public async ValueTask<SessionLoad> LoadOrCreateAnonymousAsync(Caller caller, CancellationToken cancellationToken)
    {
        var load = await LoadAsync(caller, cancellationToken);
        if (load.Error is not null || load.Session is not null)
        {
            return load;
        }

        await caller.AnonymousGate.WaitAsync(cancellationToken);
        try
        {
            return new SessionLoad(caller.Session ?? await CreateAsync(caller, userId: null, cancellationToken), null);
        }
        finally
        {
            caller.AnonymousGate.Release();
        }
    }

    private async ValueTask<SessionLoad> LookUpAsync(Caller caller, CancellationToken cancellationToken)
    {
        var (id, fromCookie) = PresentedId(caller);
        if (fromCookie && !crossSite.Allows(caller.Http.Request, id))
        {
            return new SessionLoad(null, ErrorTable.CrossSiteRefused());
        }

        var now = time.GetUtcNow();
        var record = await FindAsync(id, now, cancellationToken);
        if (record is null)
        {
            return default;
        }

        var session = new Session(id!, record, this, caller);
        if (await signatures.VerifyAsync(caller, session, cancellationToken) is { } refused)
        {
            return new SessionLoad(null, refused);
        }

        if (record.UserId is not null && _options.SessionRenew && await RenewIfDueAsync(session, now, cancellationToken)
            && _options.StatelessSessions)
        {
            // A renewed stateless session travels in a new id, which the answer and its cookie carry.
            caller.Become(session, SetsCookie(caller) ? CookieChange.Set(session.Id, session.Record.ExpiresAt) : CookieChange.None);
        }

        return new SessionLoad(session, null);
    }

    private async ValueTask<SessionRecord?> FindAsync(string? id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_options.StatelessSessions)
        {
            var decoded = StatelessSessionCodec.IsStatelessId(id) ? stateless.Decode(id!) : null;
            return decoded is null || IsExpired(decoded, now)
                || await nonces.ContainsAsync(StatelessSessionCodec.RevocationKey(decoded), now, cancellationToken)
                ? null
                : decoded;
        }

        if (!SessionIds.IsWellFormed(id))
        {
            return null;
        }

        var hash = SessionIds.Hash(id!);
        var record = await store.FindAsync(hash, cancellationToken);
        if (record is not null && IsExpired(record, now))
        {
            await store.DeleteAsync(hash, cancellationToken);
            return null;
        }

        return record;
    }

    private static bool IsExpired(SessionRecord record, DateTimeOffset now) =>
        record.ExpiresAt <= now || record.AbsoluteExpiresAt <= now;

    /// <summary>Starts a new session (a new id every time) and makes it the caller's session.</summary>
    public async Task<Session> CreateAsync(Caller caller, string? userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var absolute = now.AddSeconds(_options.SessionMaxLifetime);
        var expires = now.AddSeconds(userId is null ? _options.AnonSessionTtl : _options.SessionTtl);
        var serverId = _options.StatelessSessions ? null : SessionIds.New();
        var record = new SessionRecord
        {
            // A stateless session is named by random bytes inside it, which a revocation refers to.
            IdHash = serverId is null ? RandomNumberGenerator.GetBytes(32) : SessionIds.Hash(serverId),
            UserId = userId,
            CreatedAt = now,
            ExpiresAt = expires < absolute ? expires : absolute,
            AbsoluteExpiresAt = absolute,
            SigningKey = userId is not null && signatures.UsesSessionKeys ? SessionIds.NewSigningKey() : null,
        };
        if (serverId is not null)
        {
            await store.CreateAsync(record, cancellationToken);
        }

        var id = serverId ?? stateless.Encode(record);
        var session = new Session(id, record, this, caller);
        caller.Become(session, SetsCookie(caller) ? CookieChange.Set(id, record.ExpiresAt) : CookieChange.None);
        return session;
    }

    /// <summary>Ends the session on the server; the id is worthless from now on.</summary>
    public async Task EndAsync(Caller caller, Session session, CancellationToken cancellationToken)
    {
        if (_options.StatelessSessions)
        {
            await nonces.TryAddAsync(StatelessSessionCodec.RevocationKey(session.Record), session.Record.AbsoluteExpiresAt, cancellationToken);
        }
        else
        {
            await store.DeleteAsync(session.Record.IdHash, cancellationToken);
        }

        caller.Forget(session, _options.UseCookies ? CookieChange.Delete : CookieChange.None);
    }

    public Task<int> EndAllAsync(string userId, CancellationToken cancellationToken) =>
        store.DeleteByUserAsync(userId, cancellationToken);

    /// <summary>
    /// The session's turn for an update (see <see cref="SessionUpdateTurns"/>); none for stateless sessions, whose
    /// saves never conflict.
    /// </summary>
    internal ValueTask<Turn> UpdateTurnAsync(Session session, CancellationToken cancellationToken) =>
        _options.StatelessSessions
            ? ValueTask.FromResult(default(Turn))
            : _updateTurns.TakeAsync(session.Record.IdHash, cancellationToken);

    internal async Task<bool> TrySaveAsync(Session session, string state, CancellationToken cancellationToken)
    {
        var record = session.Record;
        if (_options.StatelessSessions)
        {
            // The new state travels in a new id, which the answer's session block hands back to the client.
            session.MarkSaved(state);
            Reissue(session);
            return true;
        }

        if (!await store.TryUpdateStateAsync(record.IdHash, record.Version, state, cancellationToken))
        {
            return false;
        }

        session.MarkSaved(state);
        session.Caller?.Observe(session, CookieChange.None);
        return true;
    }

    internal async Task ReloadAsync(Session session, CancellationToken cancellationToken)
    {
        if (_options.StatelessSessions)
        {
            return;
        }

        var record = await store.FindAsync(session.Record.IdHash, cancellationToken);
        // The session ended while we were writing to it: the caller is no longer signed in.
        session.Record = record ?? throw new MethodException(ErrorCodes.NotAuthorized, "Not authorized");
    }

    /// <summary>The session id the caller presented, and whether it came from the cookie (so forgery rules apply).</summary>
    private (string? Id, bool FromCookie) PresentedId(Caller caller)
    {
        var request = caller.Http.Request;
        var header = request.Headers[HeaderName];
        if (header.Count > 0)
        {
            return (header[0], false);
        }

        if (_options.UseCookies && request.Cookies[CookieName] is { } cookie)
        {
            return (cookie, true);
        }

        return (caller.AllowsQueryId ? caller.Query(QueryName) : null, false);
    }

    /// <summary>
    /// The id of the session the caller holds in its cookie, for the antiforgery token; null without one.
    /// </summary>
    public string? CookieSessionId(HttpRequest request) => _options.UseCookies ? request.Cookies[CookieName] : null;

    /// <summary>
    /// A new or renewed session goes into the cookie only when cookies are on and the request is not a forged one:
    /// a form posted from another site must not sign the browser into the attacker's account.
    /// </summary>
    private bool SetsCookie(Caller caller) => _options.UseCookies && crossSite.Allows(caller.Http.Request, sessionId: null);

    /// <summary>Extends a session's expiry when due; true when it did.</summary>
    private async Task<bool> RenewIfDueAsync(Session session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = session.Record;
        var wanted = now.AddSeconds(_options.SessionTtl);
        if (wanted > record.AbsoluteExpiresAt)
        {
            wanted = record.AbsoluteExpiresAt;
        }

        if (wanted - record.ExpiresAt < RenewalStep)
        {
            return false;
        }

        session.Record = record with { ExpiresAt = wanted };
        if (_options.StatelessSessions)
        {
            session.Id = stateless.Encode(session.Record);
            return true;
        }

        await store.RenewAsync(record.IdHash, wanted, cancellationToken);
        return true;
    }

    private void Reissue(Session session)
    {
        session.Id = stateless.Encode(session.Record);
        session.Caller?.Observe(session, _options.UseCookies ? CookieChange.Set(session.Id, session.Record.ExpiresAt) : CookieChange.None);
    }

    /// <summary>Applies the caller's cookie decision to the response, once, before its headers are sent.</summary>
    public static void ApplyCookie(Caller caller)
    {
        var change = caller.TakeCookie();
        var response = caller.Http.Response;
        switch (change.Kind)
        {
            case CookieChangeKind.Set:
                response.Cookies.Append(CookieName, change.Value!, Cookie(caller.Http, change.Expires));
                break;
            case CookieChangeKind.Delete:
                response.Cookies.Delete(CookieName, Cookie(caller.Http, expires: null));
                break;
        }
    }

    private static CookieOptions Cookie(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
