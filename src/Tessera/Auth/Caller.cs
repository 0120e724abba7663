using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Tessera.Auth.Sessions;

namespace Tessera.Auth;

/// <summary>
/// Who is calling: the state of one HTTP request or one WebSocket that every call it carries shares. It is created
/// by the wire before any call fans out, resolves the session at most once (however many batch entries ask at the
/// same time), and decides the response's session cookie once. Calls never write to <see cref="HttpContext"/>
/// state; each gets its own view of the session (<see cref="SessionForCall"/>), so parallel batch entries keep
/// optimistic versioning per call and no acknowledged write is lost.
/// </summary>
/// <remarks>
/// Calls of one request synchronize on this object's own monitor (the type is internal and never handed to user code):
/// a separate lock object was one more allocation on every request.
/// </remarks>
internal sealed class Caller
{
    private SessionLoad? _loaded;
    private bool _loading;
    private TaskCompletionSource<SessionLoad>? _waiting;
    private Session? _current;
    private Account? _account;
    private CookieChange _cookie;
    private Task<Account?>? _bearer;
    private Dictionary<string, Task<Microsoft.AspNetCore.Authentication.AuthenticateResult>>? _schemes;

    public Caller(HttpContext http, string transport, bool isSocket = false, bool allowsQueryId = false)
    {
        Http = http;
        Transport = transport;
        IsSocket = isSocket;
        AllowsQueryId = allowsQueryId;
    }

    /// <summary>The HTTP exchange (for a socket, the upgrade request, alive as long as the socket).</summary>
    public HttpContext Http { get; }

    /// <summary>The wire, one of the <see cref="Transports"/> names (or <c>sse</c>).</summary>
    public string Transport { get; }

    /// <summary>A WebSocket: its HTTP response was sent with the upgrade, so calls can set no cookie.</summary>
    public bool IsSocket { get; }

    /// <summary>Whether a <c>session_id</c> query parameter may name the session (streams a browser opens).</summary>
    public bool AllowsQueryId { get; }

    /// <summary>
    /// The decoded value of the query parameter <paramref name="name"/> (any case), its non-empty occurrences joined by
    /// commas as <c>Request.Query[name].ToString()</c> answers; empty when absent.
    /// </summary>
    /// <remarks>
    /// Read without building <see cref="HttpRequest.Query"/>: that dictionary (its feature, entries and array, about
    /// 0.4 KB) lives as long as the request, which for an event stream is hours, and a stream reads two or three names.
    /// </remarks>
    public string Query(string name)
    {
        var query = Http.Request.QueryString.Value;
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        string? found = null;
        foreach (var pair in new QueryStringEnumerable(query))
        {
            if (pair.DecodeName().Span.Equals(name, StringComparison.OrdinalIgnoreCase) && pair.DecodeValue() is { Length: > 0 } value)
            {
                found = found is null ? value.ToString() : string.Concat(found, ",", value.Span);
            }
        }

        return found ?? string.Empty;
    }

    /// <summary>The API token presented (<c>X-Api-Token</c> header, else the <c>AuthToken</c> cookie), read once.</summary>
    public string ApiToken
    {
        get
        {
            lock (this)
            {
                if (field is null)
                {
                    var request = Http.Request;
                    var token = request.Headers[CallAuthorizer.ApiTokenHeader].ToString();
                    ApiTokenFromCookie = token.Length == 0 && request.Cookies.ContainsKey(CallAuthorizer.ApiTokenCookie);
                    field = token.Length > 0 ? token : request.Cookies[CallAuthorizer.ApiTokenCookie] ?? string.Empty;
                }

                return field;
            }
        }
    }

    /// <summary>Whether <see cref="ApiToken"/> came from the cookie, so the forgery rules of cookie sessions apply.</summary>
    public bool ApiTokenFromCookie { get; private set; }

    /// <summary>How long the client must wait before retrying, when a call was throttled; the HTTP wires send it as <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter
    {
        get
        {
            lock (this)
            {
                return field;
            }
        }

        private set;
    }

    /// <summary>Asks the client to wait at least <paramref name="wait"/> (the longest asked by any call of the request wins).</summary>
    public void DemandRetryAfter(TimeSpan wait)
    {
        lock (this)
        {
            if (RetryAfter is not { } current || wait > current)
            {
                RetryAfter = wait;
            }
        }
    }

    /// <summary>
    /// The account of the request's bearer token, checked once however many calls of the request ask (a batch, the
    /// calls of a socket).
    /// </summary>
    public Task<Account?> BearerAccountOnceAsync(Func<Task<Account?>> authenticate)
    {
        lock (this)
        {
            return _bearer ??= authenticate();
        }
    }

    /// <summary>The result of an ASP.NET Core authentication scheme for this request, run once per scheme.</summary>
    public Task<Microsoft.AspNetCore.Authentication.AuthenticateResult> SchemeOnceAsync(
        string scheme, Func<Task<Microsoft.AspNetCore.Authentication.AuthenticateResult>> authenticate)
    {
        lock (this)
        {
            _schemes ??= new(StringComparer.Ordinal);
            if (!_schemes.TryGetValue(scheme, out var result))
            {
                _schemes[scheme] = result = authenticate();
            }

            return result;
        }
    }

    /// <summary>Serializes the creation of an anonymous session, so a batch creates at most one.</summary>
    public SemaphoreSlim AnonymousGate
    {
        get
        {
            // Created under the monitor: two batch entries asking at once must get the same gate, or both create a session.
            lock (this)
            {
                return field ??= new SemaphoreSlim(1, 1);
            }
        }
    }

    /// <summary>The request body as received, for signature checks; set by the wire before any call runs.</summary>
    public ReadOnlyMemory<byte> RawBody { get; set; }

    /// <summary>The nonce of a verified signed-mode request, which the response signature covers.</summary>
    public string? RequestNonce { get; set; }

    /// <summary>The session as it stands now: the one presented, or the one a login in this request started.</summary>
    public Session? Session
    {
        get
        {
            lock (this)
            {
                return _current;
            }
        }
    }

    /// <summary>A private copy of the current session for one call: its writes are versioned on their own.</summary>
    public Session? SessionForCall()
    {
        lock (this)
        {
            return _current?.Copy();
        }
    }

    /// <summary>The account of the current session's user, when already looked up for it.</summary>
    public Account? CachedAccount(string userId)
    {
        lock (this)
        {
            return _account is { } account && account.UserId == userId ? account : null;
        }
    }

    public void CacheAccount(Account account)
    {
        lock (this)
        {
            _account = account;
        }
    }

    /// <summary>
    /// Runs <paramref name="load"/> once for this caller; others asking meanwhile (batch entries) await the same outcome,
    /// and later askers get it at once. Only a concurrent asker costs a task: most requests make one call.
    /// </summary>
    public async ValueTask<SessionLoad> LoadOnceAsync<TState>(
        Func<Caller, TState, CancellationToken, ValueTask<SessionLoad>> load, TState state, CancellationToken cancellationToken)
    {
        Task<SessionLoad>? another;
        lock (this)
        {
            if (_loaded is { } done)
            {
                return done;
            }

            another = _loading ? (_waiting ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task : null;
            _loading = true;
        }

        if (another is not null)
        {
            return await another;
        }

        TaskCompletionSource<SessionLoad>? waiting;
        try
        {
            var outcome = await load(this, state, cancellationToken);
            lock (this)
            {
                _current ??= outcome.Session;
                _loaded = outcome;
                (_loading, waiting, _waiting) = (false, _waiting, null);
            }

            waiting?.SetResult(outcome);
            return outcome;
        }
        catch (Exception exception)
        {
            // A failed look-up (a store outage) may be retried by the next call rather than poisoning the caller.
            lock (this)
            {
                (_loading, waiting, _waiting) = (false, _waiting, null);
            }

            waiting?.SetException(exception);
            throw;
        }
    }

    /// <summary>Makes <paramref name="session"/> the caller's session (a login), or none (a logout).</summary>
    public void Become(Session? session, CookieChange cookie)
    {
        lock (this)
        {
            // A login or logout before any look-up settles it: the request has no other session to find.
            if (!_loading)
            {
                _loaded ??= new SessionLoad(session, null);
            }

            _current = session?.Copy();
            _account = null;
            if (!IsSocket)
            {
                _cookie = cookie;
            }
        }
    }

    /// <summary>Ends the current session if it is <paramref name="session"/>.</summary>
    public void Forget(Session session, CookieChange cookie)
    {
        lock (this)
        {
            if (_current is not null && _current.IsSameAs(session))
            {
                _current = null;
                _account = null;
            }

            if (!IsSocket)
            {
                _cookie = cookie;
            }
        }
    }

    /// <summary>
    /// A call saved, renewed or reissued its copy of the session: later calls of this caller start from it, and the
    /// answer's session block and cookie carry it.
    /// </summary>
    public void Observe(Session session, CookieChange cookie)
    {
        lock (this)
        {
            if (_current is null || !_current.IsSameAs(session)
                || (session.Record.Version < _current.Record.Version && session.Id == _current.Id))
            {
                return;
            }

            _current = session.Copy();
            if (!IsSocket && cookie.Kind != CookieChangeKind.None)
            {
                _cookie = cookie;
            }
        }
    }

    /// <summary>The cookie change decided for this response, taken once when the response is sent.</summary>
    public CookieChange TakeCookie()
    {
        lock (this)
        {
            var cookie = _cookie;
            _cookie = default;
            return cookie;
        }
    }
}

/// <summary>What the response does to the session cookie.</summary>
internal enum CookieChangeKind
{
    None,
    Set,
    Delete,
}

/// <summary>A decision about the session cookie: set it to an id until a time, delete it, or leave it.</summary>
internal readonly record struct CookieChange(CookieChangeKind Kind, string? Value = null, DateTimeOffset? Expires = null)
{
    public static CookieChange None => default;

    public static CookieChange Delete => new(CookieChangeKind.Delete);

    public static CookieChange Set(string value, DateTimeOffset expires) => new(CookieChangeKind.Set, value, expires);
}
