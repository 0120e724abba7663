using Tessera;

namespace HelloService;

/// <summary>Callable as <c>counter.increment</c> by a signed-in user: a count kept in the session's state.</summary>
public sealed class Counter
{
    /// <summary>Counts calls in the caller's session and answers the new count.</summary>
    [Method]
    [Authenticated]
    public async Task<CountResult> Increment(Session session)
    {
        var count = 0;
        // UpdateAsync re-reads and retries when another request of the same session saved first: no lost increments.
        await session.UpdateAsync(s =>
        {
            count = s.Get<int>("count") + 1;
            s.Set("count", count);
        });
        return new CountResult(count);
    }
}

public sealed record CountResult(int Count);
