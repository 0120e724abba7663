namespace Tessera.Auth.Throttling;

/// <summary>
/// A semaphore that shares its slots fairly between partitions (client addresses), instead of first come, first
/// served. Waiters queue per partition; a freed slot goes to the partition at the head of a rotation, which then goes
/// to the back; a partition that was not waiting joins at the front. So one client with sixteen connections holds
/// one place in the rotation, not sixteen: a login from anyone else waits for the hashes already running, not for
/// the flood. A partition may also be held to a number of waiters, past which it is refused at once rather than kept
/// waiting. The password hasher uses it; everything else may too.
/// </summary>
internal sealed class FairGate
{
    private static readonly Task<bool> Entered = Task.FromResult(true);
    private static readonly Task<bool> Refused = Task.FromResult(false);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<TaskCompletionSource>> _waiting = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _rotation = new();
    private int _free;

    public FairGate(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _free = slots;
    }

    /// <summary>How many are waiting, in every partition (for tests and diagnostics).</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Values.Sum(StillWaiting);
            }
        }
    }

    /// <summary>Takes a slot for <paramref name="partition"/>, waiting its turn; call <see cref="Release"/> after.</summary>
    public async Task EnterAsync(string partition, CancellationToken cancellationToken) =>
        await TryEnterAsync(partition, int.MaxValue, cancellationToken);

    /// <summary>
    /// Takes a slot for <paramref name="partition"/>, waiting its turn, and answers true (call <see cref="Release"/>
    /// after); answers false at once, without waiting, when <paramref name="maxWaiting"/> of the partition's callers are
    /// waiting already.
    /// </summary>
    public Task<bool> TryEnterAsync(string partition, int maxWaiting, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_free > 0 && _rotation.Count == 0)
            {
                _free--;
                return Entered;
            }

            if (!_waiting.TryGetValue(partition, out var queue))
            {
                _waiting[partition] = queue = new Queue<TaskCompletionSource>();
                _rotation.AddFirst(partition);
            }
            else if (StillWaiting(queue) >= maxWaiting)
            {
                return Refused;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            queue.Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Frees a slot: to the next partition in the rotation, or back to the pool.</summary>
    public void Release()
    {
        lock (_lock)
        {
            while (_rotation.First is { } head)
            {
                var partition = head.Value;
                _rotation.RemoveFirst();
                var queue = _waiting[partition];
                var waiter = queue.Dequeue();
                if (queue.Count > 0)
                {
                    _rotation.AddLast(partition);
                }
                else
                {
                    _waiting.Remove(partition);
                }

                // A waiter that gave up (cancelled) is skipped; the slot goes to the next.
                if (waiter.TrySetResult())
                {
                    return;
                }
            }

            _free++;
        }
    }

    // Waiters that gave up stay queued until a release skips them; they do not count against the partition.
    private static int StillWaiting(Queue<TaskCompletionSource> queue)
    {
        var count = 0;
        foreach (var waiter in queue)
        {
            if (!waiter.Task.IsCompleted)
            {
                count++;
            }
        }

        return count;
    }

    private static async Task<bool> WaitAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            await waiter.Task;
            return true;
        }

        using (cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter))
        {
            await waiter.Task;
        }

        return true;
    }
}
