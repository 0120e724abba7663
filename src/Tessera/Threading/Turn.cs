namespace Tessera.Threading;

/// <summary>
/// A turn at a <see cref="SemaphoreSlim"/> of one: taken with <see cref="TurnExtensions.TakeTurnAsync"/>, which waits
/// without holding a thread, and ended by disposing it. The default value holds no turn and ends nothing.
/// </summary>
internal readonly struct Turn(SemaphoreSlim? semaphore) : IDisposable
{
    public void Dispose() => semaphore?.Release();
}

/// <summary>Taking a <see cref="Turn"/>.</summary>
internal static class TurnExtensions
{
    /// <summary>Waits for the semaphore; disposing the answer releases it.</summary>
    public static async ValueTask<Turn> TakeTurnAsync(this SemaphoreSlim semaphore, CancellationToken cancellationToken)
    {
        await semaphore.WaitAsync(cancellationToken);
        return new Turn(semaphore);
    }
}
