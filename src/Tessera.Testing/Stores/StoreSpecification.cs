using Tessera.Stores;
using Xunit;

namespace Tessera.Testing;

/// <summary>
/// The contract every store backend keeps, as xunit tests: accounts, sessions (versioned writes, concurrent updates,
/// expiry), nonces and the event log. Tessera runs it against memory, SQLite, PostgreSQL and Redis; a backend written
/// elsewhere derives from it, creates its stores in <see cref="CreateStoresAsync"/>, and runs the same suite. Mark the
/// derived class with a <see cref="StoreServerAttribute"/> to skip, with a reason, where its server is missing.
/// </summary>
/// <example>
/// <code>
/// public sealed class MyStoreTests : StoreSpecification
/// {
///     protected override Task&lt;(IAccountStore, ISessionStore, INonceStore, IEventLog)&gt; CreateStoresAsync() =&gt; ...;
/// }
/// </code>
/// </example>
public abstract class StoreSpecification : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The account store under test.</summary>
    protected IAccountStore Accounts { get; private set; } = null!;

    /// <summary>The session store under test.</summary>
    protected ISessionStore Sessions { get; private set; } = null!;

    /// <summary>The nonce store under test.</summary>
    protected INonceStore Nonces { get; private set; } = null!;

    /// <summary>The event log under test.</summary>
    protected IEventLog Events { get; private set; } = null!;

    /// <summary>The clock to give stores that take a <see cref="TimeProvider"/>; tests move it by hand.</summary>
    protected ManualTimeProvider Time { get; } = new(Now);

    /// <summary>Creates fresh, empty stores for one test (each test gets its own).</summary>
    protected abstract Task<(IAccountStore, ISessionStore, INonceStore, IEventLog)> CreateStoresAsync();

    /// <inheritdoc />
    public async Task InitializeAsync() => (Accounts, Sessions, Nonces, Events) = await CreateStoresAsync();

    /// <summary>Releases what <see cref="CreateStoresAsync"/> made (connections, files).</summary>
    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static AccountRecord Account(string userId) => new()
    {
        UserId = userId,
        PasswordHash = "$pbkdf2-sha512$210000$c2FsdA==$aGFzaA==",
        Fields = """{"nickname":"n"}""",
        Roles = ["staff"],
        CreatedAt = Now,
    };

    private static SessionRecord Session(byte id, string? userId = "ada", TimeSpan? ttl = null) => new()
    {
        IdHash = Enumerable.Repeat(id, 32).ToArray(),
        UserId = userId,
        CreatedAt = Now,
        ExpiresAt = Now + (ttl ?? TimeSpan.FromHours(1)),
        AbsoluteExpiresAt = Now + TimeSpan.FromDays(1),
        SigningKey = "key",
        State = """{"count":1}""",
    };

    /// <summary>Accounts: create then find round trips every field.</summary>
    [StoreFact]
    public async Task Accounts_CreateThenFind_RoundTripsEveryField()
    {
        Assert.True(await Accounts.TryCreateAsync(Account("ada"), default));

        var found = await Accounts.FindAsync("ada", default);

        Assert.Equal("ada", found!.UserId);
        Assert.Equal(Account("ada").PasswordHash, found.PasswordHash);
        Assert.Equal("""{"nickname":"n"}""", found.Fields);
        Assert.Equal(["staff"], found.Roles);
        Assert.Equal(Now, found.CreatedAt);
        Assert.Null(found.SessionsValidAfter);
    }

    /// <summary>Accounts: create taken id returns false and keeps the first.</summary>
    [StoreFact]
    public async Task Accounts_CreateTakenId_ReturnsFalseAndKeepsTheFirst()
    {
        await Accounts.TryCreateAsync(Account("ada"), default);

        Assert.False(await Accounts.TryCreateAsync(Account("ada") with { PasswordHash = "other" }, default));
        Assert.Equal(Account("ada").PasswordHash, (await Accounts.FindAsync("ada", default))!.PasswordHash);
    }

    /// <summary>Accounts: update replaces hash fields and roles.</summary>
    [StoreFact]
    public async Task Accounts_Update_ReplacesHashFieldsAndRoles()
    {
        await Accounts.TryCreateAsync(Account("ada"), default);

        await Accounts.UpdateAsync(Account("ada") with { PasswordHash = "new", Fields = "{}", Roles = ["a", "b"], SessionsValidAfter = Now }, default);

        var found = await Accounts.FindAsync("ada", default);
        Assert.Equal(("new", "{}", Now), (found!.PasswordHash, found.Fields, found.SessionsValidAfter));
        Assert.Equal(["a", "b"], found.Roles);
    }

    /// <summary>Accounts: find unknown returns null.</summary>
    [StoreFact]
    public async Task Accounts_FindUnknown_ReturnsNull() => Assert.Null(await Accounts.FindAsync("nobody", default));

    /// <summary>Sessions: create then find round trips every field.</summary>
    [StoreFact]
    public async Task Sessions_CreateThenFind_RoundTripsEveryField()
    {
        await Sessions.CreateAsync(Session(1), default);

        var found = await Sessions.FindAsync(Session(1).IdHash, default);

        Assert.Equal(Session(1).IdHash, found!.IdHash);
        Assert.Equal("ada", found.UserId);
        Assert.Equal((Now, Now.AddHours(1), Now.AddDays(1)), (found.CreatedAt, found.ExpiresAt, found.AbsoluteExpiresAt));
        Assert.Equal(("key", """{"count":1}""", 0L), (found.SigningKey, found.State, found.Version));
    }

    /// <summary>Sessions: anonymous has no user or key.</summary>
    [StoreFact]
    public async Task Sessions_Anonymous_HasNoUserOrKey()
    {
        await Sessions.CreateAsync(Session(2, userId: null) with { SigningKey = null }, default);

        var found = await Sessions.FindAsync(Session(2).IdHash, default);

        Assert.Null(found!.UserId);
        Assert.Null(found.SigningKey);
    }

    /// <summary>Sessions: update with current version writes and increments.</summary>
    [StoreFact]
    public async Task Sessions_UpdateWithCurrentVersion_WritesAndIncrements()
    {
        await Sessions.CreateAsync(Session(1), default);

        Assert.True(await Sessions.TryUpdateStateAsync(Session(1).IdHash, 0, """{"count":2}""", default));

        var found = await Sessions.FindAsync(Session(1).IdHash, default);
        Assert.Equal(("""{"count":2}""", 1L), (found!.State, found.Version));
    }

    /// <summary>Sessions: update with stale version writes nothing.</summary>
    [StoreFact]
    public async Task Sessions_UpdateWithStaleVersion_WritesNothing()
    {
        await Sessions.CreateAsync(Session(1), default);
        await Sessions.TryUpdateStateAsync(Session(1).IdHash, 0, """{"count":2}""", default);

        Assert.False(await Sessions.TryUpdateStateAsync(Session(1).IdHash, 0, """{"count":99}""", default));
        Assert.Equal("""{"count":2}""", (await Sessions.FindAsync(Session(1).IdHash, default))!.State);
    }

    /// <summary>Sessions: concurrent updates with one version only one wins.</summary>
    [StoreFact]
    public async Task Sessions_ConcurrentUpdatesWithOneVersion_OnlyOneWins()
    {
        await Sessions.CreateAsync(Session(1), default);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Sessions.TryUpdateStateAsync(Session(1).IdHash, 0, $$"""{"count":{{i}}}""", default))));

        Assert.Single(results, won => won);
        Assert.Equal(1L, (await Sessions.FindAsync(Session(1).IdHash, default))!.Version);
    }

    /// <summary>Sessions: renew moves the expiry.</summary>
    [StoreFact]
    public async Task Sessions_Renew_MovesTheExpiry()
    {
        await Sessions.CreateAsync(Session(1), default);

        await Sessions.RenewAsync(Session(1).IdHash, Now.AddHours(5), default);

        Assert.Equal(Now.AddHours(5), (await Sessions.FindAsync(Session(1).IdHash, default))!.ExpiresAt);
    }

    /// <summary>Sessions: delete ends only that session.</summary>
    [StoreFact]
    public async Task Sessions_Delete_EndsOnlyThatSession()
    {
        await Sessions.CreateAsync(Session(1), default);
        await Sessions.CreateAsync(Session(2), default);

        await Sessions.DeleteAsync(Session(1).IdHash, default);

        Assert.Null(await Sessions.FindAsync(Session(1).IdHash, default));
        Assert.NotNull(await Sessions.FindAsync(Session(2).IdHash, default));
    }

    /// <summary>Sessions: delete by user ends every one of that user.</summary>
    [StoreFact]
    public async Task Sessions_DeleteByUser_EndsEveryOneOfThatUser()
    {
        await Sessions.CreateAsync(Session(1, "ada"), default);
        await Sessions.CreateAsync(Session(2, "ada"), default);
        await Sessions.CreateAsync(Session(3, "bob"), default);

        Assert.Equal(2, await Sessions.DeleteByUserAsync("ada", default));
        Assert.NotNull(await Sessions.FindAsync(Session(3).IdHash, default));
    }

    /// <summary>Sessions: delete expired removes only expired.</summary>
    [StoreFact]
    public async Task Sessions_DeleteExpired_RemovesOnlyExpired()
    {
        await Sessions.CreateAsync(Session(1, ttl: TimeSpan.FromMinutes(1)), default);
        await Sessions.CreateAsync(Session(2, ttl: TimeSpan.FromHours(2)), default);

        Assert.Equal(1, await Sessions.DeleteExpiredAsync(Now.AddMinutes(30), default));
        Assert.Null(await Sessions.FindAsync(Session(1).IdHash, default));
        Assert.NotNull(await Sessions.FindAsync(Session(2).IdHash, default));
        Assert.Equal(1, await Sessions.DeleteExpiredAsync(Now.AddDays(2), default));
    }

    /// <summary>Nonces: are accepted once until they expire.</summary>
    [StoreFact]
    public async Task Nonces_AreAcceptedOnceUntilTheyExpire()
    {
        Assert.True(await Nonces.TryAddAsync("n1", Now.AddMinutes(10), default));
        Assert.False(await Nonces.TryAddAsync("n1", Now.AddMinutes(10), default));
        Assert.True(await Nonces.ContainsAsync("n1", Now, default));

        Time.Advance(TimeSpan.FromMinutes(11));

        Assert.False(await Nonces.ContainsAsync("n1", Time.GetUtcNow(), default));
        Assert.True(await Nonces.TryAddAsync("n1", Time.GetUtcNow().AddMinutes(10), default));
    }

    /// <summary>Nonces: concurrent adds only one wins.</summary>
    [StoreFact]
    public async Task Nonces_ConcurrentAdds_OnlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            Task.Run(() => Nonces.TryAddAsync("race", Now.AddMinutes(5), default))));

        Assert.Single(results, won => won);
    }

    /// <summary>Nonces: delete expired forgets only expired.</summary>
    [StoreFact]
    public async Task Nonces_DeleteExpired_ForgetsOnlyExpired()
    {
        await Nonces.TryAddAsync("old", Now.AddMinutes(1), default);
        await Nonces.TryAddAsync("new", Now.AddHours(1), default);

        Assert.Equal(1, await Nonces.DeleteExpiredAsync(Now.AddMinutes(30), default));
        Assert.True(await Nonces.ContainsAsync("new", Now, default));
    }

    /// <summary>Events: get increasing ids and read back in order.</summary>
    [StoreFact]
    public async Task Events_GetIncreasingIdsAndReadBackInOrder()
    {
        Assert.Equal(0, await Events.LastIdAsync(default));
        var first = await Events.AppendAsync("a.b", """{"n":1}""", Now, default);
        var second = await Events.AppendAsync("a.c", "[1,2]", Now, default);
        var third = await Events.AppendAsync("x", "null", Now.AddSeconds(1), default);

        Assert.True(first.Id < second.Id && second.Id < third.Id);
        Assert.Equal(third.Id, await Events.LastIdAsync(default));
        var after = await Events.ReadAfterAsync(first.Id, 10, default);
        Assert.Equal([second.Id, third.Id], after.Select(e => e.Id));
        Assert.Equal(("a.c", "[1,2]"), (after[0].Topic, after[0].Data.GetRawText()));
        Assert.Equal(Now.AddSeconds(1), after[1].PublishedAt);
        Assert.Single(await Events.ReadAfterAsync(0, 1, default));
    }

    /// <summary>Events: trim keeps the newest and drops the old.</summary>
    [StoreFact]
    public async Task Events_TrimKeepsTheNewestAndDropsTheOld()
    {
        for (var i = 0; i < 10; i++)
        {
            await Events.AppendAsync("t", i.ToString(), Now.AddMinutes(i), default);
        }

        await Events.TrimAsync(keep: 5, olderThan: Now.AddMinutes(7), default);

        Assert.Equal(["7", "8", "9"], (await Events.ReadAfterAsync(0, 100, default)).Select(e => e.Data.GetRawText()));
        Assert.Equal(11, (await Events.AppendAsync("t", "10", Now.AddMinutes(10), default)).Id);
    }
}
