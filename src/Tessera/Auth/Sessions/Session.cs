using Tessera.Auth;
using Tessera.Auth.Sessions;
using Tessera.Stores;

namespace Tessera;

/// <summary>
/// A client's session: who it belongs to and a small typed key-value state that persists between calls.
/// Writes are optimistic: <see cref="SaveAsync"/> refuses to overwrite a change another request made since this one
/// read the session, and <see cref="UpdateAsync"/> re-reads and retries until its change lands.
/// </summary>
public sealed class Session
{
    private const int MaxUpdateAttempts = 100;

    private readonly SessionManager _manager;
    private SessionRecord _record;
    private SessionState? _state;

    internal Session(string id, SessionRecord record, SessionManager manager, Caller? caller)
    {
        Id = id;
        _record = record;
        _manager = manager;
        Caller = caller;
    }

    /// <summary>
    /// The id the client holds; it is never stored. With stateless sessions it changes whenever the state is saved,
    /// and the answer's <c>session</c> block carries the new one.
    /// </summary>
    public string Id { get; internal set; }

    /// <summary>The signed-in user, or null for an anonymous session.</summary>
    public string? UserId => _record.UserId;

    /// <summary>Whether a user is signed in.</summary>
    public bool IsAuthenticated => _record.UserId is not null;

    /// <summary>When the session expires unless renewed.</summary>
    public DateTimeOffset ExpiresAt => _record.ExpiresAt;

    /// <summary>The names of the values in the session's state.</summary>
    public IEnumerable<string> Keys => State.Keys;

    /// <summary>The request or socket this session was loaded for; its later calls start from this one's saves.</summary>
    internal Caller? Caller { get; }

    internal SessionRecord Record
    {
        get => _record;
        set
        {
            _record = value;
            _state = null;
        }
    }

    internal void MarkSaved(string state) => _record = _record with { State = state, Version = _record.Version + 1 };

    /// <summary>An independent copy (same id, record and caller; its own state), for one call.</summary>
    internal Session Copy() => new(Id, _record, _manager, Caller);

    /// <summary>Whether both objects stand for the same server-side session.</summary>
    internal bool IsSameAs(Session other) => _record.IdHash.AsSpan().SequenceEqual(other._record.IdHash);

    private SessionState State => _state ??= SessionState.Parse(_record.State);

    /// <summary>
    /// The value stored under <paramref name="key"/>, or <c>default</c> when there is none. Values are JSON with the
    /// serializer's defaults; a type is described by the service's own <c>JsonSerializerContext</c> when one is added
    /// with <c>AddJsonTypeInfoResolver</c> (Native AOT needs one for anything but scalars), else by reflection.
    /// </summary>
    public T? Get<T>(string key) => State.Get(key, _manager.StateTypeInfo<T>());

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; call <see cref="SaveAsync"/> to keep it.</summary>
    public void Set<T>(string key, T value) => State.Set(key, value, _manager.StateTypeInfo<T>());

    /// <summary>Removes a value; call <see cref="SaveAsync"/> to keep the change.</summary>
    public bool Remove(string key) => State.Remove(key);

    /// <summary>
    /// Persists the state. Throws <see cref="SessionConflictException"/> (error 1012) when another request saved the
    /// session since it was read; nothing is overwritten then.
    /// </summary>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        if (!await _manager.TrySaveAsync(this, State.ToJson(), cancellationToken))
        {
            throw new SessionConflictException();
        }
    }

    /// <summary>
    /// Applies <paramref name="update"/> and saves; when another request saved first, re-reads the session and applies
    /// the update again to the fresh state, until it lands. The update must depend only on the session's state.
    /// Updates that have to try again take turns with this process's other retries of the same session, so they stop
    /// racing each other.
    /// </summary>
    public async Task UpdateAsync(Action<Session> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        update(this);
        if (await _manager.TrySaveAsync(this, State.ToJson(), cancellationToken))
        {
            return;
        }

        // Most updates land at once; the turn is taken only for the retries, where it costs nothing that matters.
        using var turn = await _manager.UpdateTurnAsync(this, cancellationToken);
        for (var attempt = 1; attempt < MaxUpdateAttempts; attempt++)
        {
            await _manager.ReloadAsync(this, cancellationToken);
            update(this);
            if (await _manager.TrySaveAsync(this, State.ToJson(), cancellationToken))
            {
                return;
            }

            // Overtaken again (by another process, or by a request's first try): back off a little, at random.
            if (attempt >= 2)
            {
                await Task.Delay(Random.Shared.Next(0, Math.Min(attempt, 10)), cancellationToken);
            }
        }

        throw new SessionConflictException();
    }
}
