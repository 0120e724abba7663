using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Tessera.Auth.Signing;
using Tessera.Errors;
using Tessera.Stores;

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
    IOptions<TesseraSessionOptions> options,
    TimeProvider time)
{
    public const string HeaderName = "x-toto-session-id";
    public const string CookieName = "toto-session-id";
    public const string QueryName = "session_id";

    // Renewal writes at most once a minute per session, not on every call.
    private static readonly TimeSpan RenewalStep = TimeSpan.FromMinutes(1);

    private readonly TesseraSessionOptions _options = options.Value;

    public bool UsesCookies => _options.UseCookies;

    public async ValueTask<SessionLoad> LoadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var feature = RequestSessionFeature.Of(http);
        if (feature.Loaded)
        {
            return new SessionLoad(feature.Current, null);
        }

        await feature.Gate.WaitAsync(cancellationToken);
        try
        {
            return feature.Loaded ? new SessionLoad(feature.Current, null) : await LoadOnceAsync(http, feature, cancellationToken);
        }
        finally
        {
            feature.Gate.Release();
        }
    }

    /// <summary>The request's session, or a new anonymous one, created at most once per request.</summary>
    public async ValueTask<SessionLoad> LoadOrCreateAnonymousAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var load = await LoadAsync(http, cancellationToken);
        if (load.Error is not null || load.Session is not null)
        {
            return load;
        }

        var feature = RequestSessionFeature.Of(http);
        await feature.Gate.WaitAsync(cancellationToken);
        try
        {
            return new SessionLoad(feature.Current ?? await CreateCoreAsync(http, userId: null, cancellationToken), null);
        }
        finally
        {
            feature.Gate.Release();
        }
    }

    private async Task<SessionLoad> LoadOnceAsync(HttpContext http, RequestSessionFeature feature, CancellationToken cancellationToken)
    {
        feature.Loaded = true;
        var id = PresentedId(http.Request);
        var now = time.GetUtcNow();
        var record = await FindAsync(id, now, cancellationToken);
        if (record is null)
        {
            return default;
        }

        var session = new Session(id!, record, this, http);
        if (await signatures.VerifyAsync(http, session, feature, cancellationToken) is { } refused)
        {
            return new SessionLoad(null, refused);
        }

        if (record.UserId is not null && _options.SessionRenew)
        {
            await RenewIfDueAsync(session, now, cancellationToken);
        }

        feature.Current = session;
        return new SessionLoad(session, null);
    }

    private async Task<SessionRecord?> FindAsync(string? id, DateTimeOffset now, CancellationToken cancellationToken)
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

    /// <summary>Starts a new session (a new id every time) and makes it the request's session.</summary>
    public async Task<Session> CreateAsync(HttpContext http, string? userId, CancellationToken cancellationToken)
    {
        var gate = RequestSessionFeature.Of(http).Gate;
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await CreateCoreAsync(http, userId, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Session> CreateCoreAsync(HttpContext http, string? userId, CancellationToken cancellationToken)
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
        var session = new Session(id, record, this, http);
        var feature = RequestSessionFeature.Of(http);
        feature.Loaded = true;
        feature.Current = session;
        if (_options.UseCookies)
        {
            http.Response.Cookies.Append(CookieName, id, Cookie(http, record.ExpiresAt));
        }

        return session;
    }

    /// <summary>Ends the session on the server; the id is worthless from now on.</summary>
    public async Task EndAsync(HttpContext http, Session session, CancellationToken cancellationToken)
    {
        if (_options.StatelessSessions)
        {
            await nonces.TryAddAsync(StatelessSessionCodec.RevocationKey(session.Record), session.Record.AbsoluteExpiresAt, cancellationToken);
        }
        else
        {
            await store.DeleteAsync(session.Record.IdHash, cancellationToken);
        }

        var feature = RequestSessionFeature.Of(http);
        if (ReferenceEquals(feature.Current, session))
        {
            feature.Current = null;
        }

        if (_options.UseCookies)
        {
            http.Response.Cookies.Delete(CookieName, Cookie(http, expires: null));
        }
    }

    public Task<int> EndAllAsync(string userId, CancellationToken cancellationToken) =>
        store.DeleteByUserAsync(userId, cancellationToken);

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

    private string? PresentedId(HttpRequest request)
    {
        var header = request.Headers[HeaderName];
        if (header.Count > 0)
        {
            return header[0];
        }

        if (_options.UseCookies && request.Cookies[CookieName] is { } cookie)
        {
            return cookie;
        }

        return RequestSessionFeature.Of(request.HttpContext).AllowsQueryId ? request.Query[QueryName].ToString() : null;
    }

    private async Task RenewIfDueAsync(Session session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = session.Record;
        var wanted = now.AddSeconds(_options.SessionTtl);
        if (wanted > record.AbsoluteExpiresAt)
        {
            wanted = record.AbsoluteExpiresAt;
        }

        if (wanted - record.ExpiresAt < RenewalStep)
        {
            return;
        }

        session.Record = record with { ExpiresAt = wanted };
        if (_options.StatelessSessions)
        {
            Reissue(session);
            return;
        }

        await store.RenewAsync(record.IdHash, wanted, cancellationToken);
    }

    private void Reissue(Session session)
    {
        session.Id = stateless.Encode(session.Record);
        if (_options.UseCookies && session.HttpContext is { } http)
        {
            http.Response.Cookies.Append(CookieName, session.Id, Cookie(http, session.Record.ExpiresAt));
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
