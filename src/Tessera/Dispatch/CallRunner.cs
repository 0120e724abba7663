using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Auth;
using Tessera.Dispatch.Binding;
using Tessera.Errors;
using Tessera.Observability;

namespace Tessera.Dispatch;

/// <summary>How the entries of a batch run.</summary>
internal enum BatchOrder
{
    /// <summary>One after another, in the order given (the Toto batch: sorted keys; XML-RPC multicall).</summary>
    Sequential,

    /// <summary>Up to <c>batch_concurrency</c> at once, answered in the order given (JSON-RPC).</summary>
    Concurrent,
}

/// <summary>
/// Runs calls for every wire: one call, or the entries of a batch under the size limit, each entry in its own DI
/// scope, with the wire's concurrency, the caller's cancellation, and the result serialized to JSON inside the
/// entry's scope, so a result that cannot be written becomes an error here, once, whatever the wire.
/// </summary>
internal sealed class CallRunner(
    MethodDispatcher dispatcher,
    IServiceScopeFactory scopes,
    TesseraJson json,
    IOptions<TesseraOptions> options,
    ILogger<CallRunner> logger)
{
    private readonly int _maxBatchSize = options.Value.MaxBatchSize;
    private readonly int _concurrency = options.Value.BatchConcurrency;

    /// <summary>Runs one call with the services given (a single call uses the request's own scope).</summary>
    public ValueTask<CallAnswer> RunAsync(
        string? name, CallParameters parameters, Caller caller, IServiceProvider services, CancellationToken cancellationToken)
    {
        var dispatching = dispatcher.DispatchAsync(name, parameters, caller, services, cancellationToken);
        return dispatching.IsCompletedSuccessfully ? new(Serialize(dispatching.Result)) : SerializeAsync(dispatching);
    }

    private async ValueTask<CallAnswer> SerializeAsync(ValueTask<CallOutcome> dispatching) => Serialize(await dispatching);

    /// <summary>Runs one call in a DI scope of its own (a batch entry, a WebSocket message), created if the call uses it.</summary>
    public ValueTask<CallAnswer> RunScopedAsync(
        string? name, CallParameters parameters, Caller caller, CancellationToken cancellationToken)
    {
        // Most entries finish at once and use no scope: they are answered here, without an async method's machinery
        // (a fifth of a batch entry's time went to the nested state machines).
        var scope = new LazyServiceScope(scopes);
        var dispatching = dispatcher.DispatchAsync(name, parameters, caller, scope, cancellationToken);
        if (dispatching.IsCompletedSuccessfully && !scope.Created)
        {
            return new ValueTask<CallAnswer>(Serialize(dispatching.Result));
        }

        return FinishScopedAsync(dispatching, scope);
    }

    private async ValueTask<CallAnswer> FinishScopedAsync(ValueTask<CallOutcome> dispatching, LazyServiceScope scope)
    {
        await using (scope)
        {
            // Serialized inside the scope: a result may still read from the call's scoped services.
            return Serialize(await dispatching);
        }
    }

    /// <summary>The refusal of a batch over <c>max_batch_size</c> entries, or null when it may run.</summary>
    public MethodError? CheckBatchSize(int count) => count > _maxBatchSize
        ? ErrorTable.Malformed($"The batch has {count} calls; the limit is {_maxBatchSize} (option max_batch_size).")
        : null;

    /// <summary>
    /// Runs every entry through <paramref name="run"/> and answers in the entries' order. Each entry translates and
    /// runs its own call (usually with <see cref="RunScopedAsync"/>); an entry never sees another's failure.
    /// </summary>
    public async Task<TAnswer[]> RunBatchAsync<TEntry, TAnswer>(
        IReadOnlyList<TEntry> entries,
        BatchOrder order,
        Func<TEntry, CancellationToken, ValueTask<TAnswer>> run,
        CancellationToken cancellationToken)
    {
        var answers = new TAnswer[entries.Count];
        if (order == BatchOrder.Sequential || _concurrency <= 1 || entries.Count <= 1)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                answers[i] = await run(entries[i], cancellationToken);
            }

            return answers;
        }

        // Entries start on this thread, in order: one that completes at once (most calls) costs no thread-pool hop,
        // and only those still waiting count against batch_concurrency. Parallel.ForAsync queued every entry to the
        // pool, which made a batch of ten quick calls several times slower than ten inline ones.
        // The list of waiting entries is made only when one waits.
        List<(int Index, Task<TAnswer> Task)>? running = null;
        for (var i = 0; i < entries.Count; i++)
        {
            if (running?.Count == _concurrency)
            {
                await Task.WhenAny(running.Select(r => r.Task));
                Collect(running, answers, onlyCompleted: true);
            }

            var answer = run(entries[i], cancellationToken);
            if (answer.IsCompletedSuccessfully)
            {
                answers[i] = answer.Result;
            }
            else
            {
                (running ??= new(_concurrency)).Add((i, answer.AsTask()));
            }
        }

        if (running is { Count: > 0 })
        {
            await Task.WhenAll(running.Select(r => r.Task));
            Collect(running, answers, onlyCompleted: false);
        }

        return answers;
    }

    private static void Collect<TAnswer>(List<(int Index, Task<TAnswer> Task)> running, TAnswer[] answers, bool onlyCompleted)
    {
        for (var i = running.Count - 1; i >= 0; i--)
        {
            if (!onlyCompleted || running[i].Task.IsCompleted)
            {
                // Awaited already: a failed entry throws here, as it did from Parallel.ForAsync.
                answers[running[i].Index] = running[i].Task.GetAwaiter().GetResult();
                running.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// The result as JSON bytes, and an error's value as a JSON element: what cannot be written (a cycle, NaN, an
    /// unsupported type) is a 1000 for this call alone, logged with its transaction id. Writers then cannot fail.
    /// </summary>
    private CallAnswer Serialize(CallOutcome outcome)
    {
        if (outcome.Error is { } error)
        {
            return new CallAnswer(outcome.Method, null, SerializeValue(error, outcome), outcome.TransactionId);
        }

        if (outcome.Method is not { LazyResultTypeInfo: { } resultInfo } || outcome.IsEmpty)
        {
            return new CallAnswer(outcome.Method, null, null, outcome.TransactionId);
        }

        try
        {
            // The serializer's own cached writer and buffer: no writer or buffer is allocated per call. The type's
            // metadata is made by the method's first call, so a type the serializer refuses fails here too.
            return new CallAnswer(outcome.Method, JsonSerializer.SerializeToUtf8Bytes(outcome.Result, resultInfo.Value), null, outcome.TransactionId);
        }
        catch (Exception exception)
        {
            Log.ResultNotSerializable(logger, outcome.Method.Name, outcome.TransactionId, exception);
            return new CallAnswer(outcome.Method, null, dispatcher.ServerError(exception, outcome.TransactionId), outcome.TransactionId);
        }
    }

    private MethodError SerializeValue(MethodError error, CallOutcome outcome)
    {
        if (error.Value is null or string or JsonElement)
        {
            return error;
        }

        try
        {
            return error with { Value = JsonSerializer.SerializeToElement(error.Value, json.ResultInfo(error.Value.GetType())) };
        }
        catch (Exception exception)
        {
            Log.ResultNotSerializable(logger, outcome.Method?.Name ?? "(none)", outcome.TransactionId, exception);
            return dispatcher.ServerError(exception, outcome.TransactionId);
        }
    }
}
