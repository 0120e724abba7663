namespace Tessera.Dispatch;

/// <summary>
/// A delegate compiled off the request path. Until it is ready its callers take a slower path that compiles nothing
/// (reflection); the first of them starts the compile on the thread pool. Compiling an expression tree is about 1 ms,
/// and the process's first one pays for loading the expression compiler too (about 25 ms in a fresh process on this
/// project's two-core machine): a call should not wait for either.
/// </summary>
internal sealed class CompiledInBackground<TDelegate>(Func<TDelegate> compile)
    where TDelegate : Delegate
{
    private TDelegate? _compiled;
    private int _started;

    /// <summary>True once the compiled delegate is in use.</summary>
    public bool IsCompiled => Volatile.Read(ref _compiled) is not null;

    /// <summary>The compiled delegate, or null while it is being made; the first call that finds none starts it.</summary>
    public TDelegate? TryGet()
    {
        if (Volatile.Read(ref _compiled) is { } compiled)
        {
            return compiled;
        }

        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.Compile(), this, preferLocal: false);
        }

        return null;
    }

    private void Compile()
    {
        try
        {
            Volatile.Write(ref _compiled, compile());
        }
        catch (Exception)
        {
            // Only the speed-up is lost: the slower path gives the same answers, and a thread-pool item must not throw
            // (it would end the process). What can be wrong with a method or its class is checked at start-up.
        }
    }
}
