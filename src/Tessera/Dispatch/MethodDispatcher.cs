using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Auth;
using Tessera.Dispatch.Binding;
using Tessera.Errors;
using Tessera.Observability;
using Tessera.Stores;

namespace Tessera.Dispatch;

/// <summary>
/// Runs one call, whatever wire it came on: look up, bind, validate, run the filters and the method, and turn any
/// failure into a <see cref="MethodError"/>. Knows nothing about envelopes or status codes.
/// </summary>
internal sealed class MethodDispatcher(
    MethodRegistry registry,
    TesseraTelemetry telemetry,
    ILogger<MethodDispatcher> logger,
    IHostEnvironment environment,
    TimeProvider time,
    ICallAuthorizer authorizer)
{
    private readonly bool _includeDetails = environment.IsDevelopment();

    /// <summary>Runs one call: look up, authorize, bind, invoke; every failure becomes the outcome's error.</summary>
    /// <remarks>
    /// Most calls finish at once (nothing to wait for in the store, a method that completes synchronously): those run
    /// start to end without an async method's state machine, and only a call that has to wait continues in one. The
    /// nested state machines were a fifth of a batch entry's time. Like an async method, this one leaves the caller's
    /// execution context as it found it: a call's span, or an <c>AsyncLocal</c> a method sets, never leaks into the
    /// next entry of a batch.
    /// </remarks>
    public ValueTask<CallOutcome> DispatchAsync(
        string? name,
        CallParameters parameters,
        Caller caller,
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name))
        {
            return new(CallOutcome.Failed(ErrorTable.MissingMethod()));
        }

        if (!registry.TryGet(name, out var method))
        {
            Log.UnknownMethod(logger, name);
            return new(CallOutcome.Failed(ErrorTable.MethodNotFound(name)));
        }

        var context = ExecutionContext.Capture();
        var call = default(CallInProgress);
        try
        {
            call = Begin(method, caller, services, cancellationToken);
            var authorizing = method.Access.IsNone ? default : AuthorizeAsync(method, call.Context);
            return authorizing.IsCompletedSuccessfully
                ? Run(call, parameters, authorizing.Result)
                : AuthorizeThenRunAsync(call, parameters, authorizing);
        }
        catch (Exception exception)
        {
            // As from an async method: the failure is in the task, not thrown at the caller.
            call.Activity?.Dispose();
            return ValueTask.FromException<CallOutcome>(exception);
        }
        finally
        {
            if (context is not null && ExecutionContext.Capture() != context)
            {
                ExecutionContext.Restore(context);
            }
        }
    }

    /// <summary>A call's span, transaction id and context, from the start of its dispatch to its <see cref="End"/>.</summary>
    private readonly record struct CallInProgress(MethodDescriptor Method, MethodContext Context, Activity? Activity, long Started);

    private CallInProgress Begin(MethodDescriptor method, Caller caller, IServiceProvider services, CancellationToken cancellationToken)
    {
        var started = telemetry.MeasuresDuration ? time.GetTimestamp() : 0;
        var transactionId = TransactionIds.Shared.Next();
        var activity = TesseraTelemetry.ActivitySource.StartActivity(method.ActivityName, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("rpc.system", "tessera");
            activity.SetTag("rpc.method", method.Name);
            activity.SetTag("tessera.transport", caller.Transport);
            activity.SetTag("tessera.transaction_id", transactionId);
        }

        var context = new MethodContext(method.Name, caller, services, transactionId, cancellationToken);
        return new CallInProgress(method, context, activity, started);
    }

    /// <summary>The rate limit, then the arguments: an error, or none and the arguments to call with.</summary>
    private MethodError? Prepare(MethodDescriptor method, CallParameters parameters, MethodContext context, out object?[] arguments)
    {
        arguments = [];
        return (method.RateLimiter is { } limiter ? Limit(method, limiter, context) : null)
            ?? ArgumentBinder.Bind(method, parameters, context, out arguments);
    }

    /// <summary>The call once its access rules were checked: rate limit, arguments, the method.</summary>
    private ValueTask<CallOutcome> Run(CallInProgress call, CallParameters parameters, MethodError? refused)
    {
        var arguments = Array.Empty<object?>();
        refused ??= Prepare(call.Method, parameters, call.Context, out arguments);
        if (refused is not null)
        {
            return new(End(call, null, refused));
        }

        var running = InvokeAsync(call.Method, call.Context, arguments);
        if (!running.IsCompletedSuccessfully)
        {
            return FinishAsync(call, running);
        }

        var (result, error) = running.Result;
        return new(End(call, result, error));
    }

    private async ValueTask<CallOutcome> AuthorizeThenRunAsync(CallInProgress call, CallParameters parameters, ValueTask<MethodError?> authorizing)
    {
        try
        {
            return await Run(call, parameters, await authorizing);
        }
        catch
        {
            call.Activity?.Dispose();
            throw;
        }
    }

    private async ValueTask<CallOutcome> FinishAsync(CallInProgress call, ValueTask<(object? Result, MethodError? Error)> running)
    {
        try
        {
            var (result, error) = await running;
            return End(call, result, error);
        }
        catch
        {
            call.Activity?.Dispose();
            throw;
        }
    }

    /// <summary>Closes the call's span and counts it.</summary>
    private CallOutcome End(CallInProgress call, object? result, MethodError? error)
    {
        if (call.Activity is { } activity)
        {
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error);
                activity.SetTag("tessera.error_code", error.Code);
            }

            activity.Dispose();
        }

        telemetry.Record(call.Method.Name, call.Context.Caller.Transport, error?.Code, call.Started == 0 ? null : time.GetElapsedTime(call.Started));
        return new CallOutcome(call.Method, result, error, call.Context.TransactionId);
    }

    /// <summary>
    /// Counts the call against its rate-limit policy (after authorization, so a policy can count per user): over the
    /// limit it is refused with 1014, and the answer's <c>Retry-After</c> says when a permit frees up.
    /// </summary>
    private MethodError? Limit(MethodDescriptor method, PartitionedRateLimiter<MethodContext> limiter, MethodContext context)
    {
        using var lease = limiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        context.Caller.DemandRetryAfter(wait);
        Log.RateLimited(logger, method.Name, method.RateLimitPolicy!);
        return ErrorTable.TooManyRequests(wait);
    }

    /// <summary>
    /// Applies the method's access rules. A failure to check them (a store that cannot be reached) refuses the call
    /// with that error: nothing that goes wrong here lets a call through.
    /// </summary>
    private async ValueTask<MethodError?> AuthorizeAsync(MethodDescriptor method, MethodContext context)
    {
        try
        {
            return await authorizer.AuthorizeAsync(method.Access, context);
        }
        catch (Exception exception)
        {
            return Failure(method, context, exception);
        }
    }

    /// <summary>Runs the method (through its filters); a method that completed at once is answered without waiting.</summary>
    private ValueTask<(object? Result, MethodError? Error)> InvokeAsync(
        MethodDescriptor method,
        MethodContext context,
        object?[] arguments)
    {
        if (method.DisposesTarget)
        {
            return InvokeAndDisposeAsync(method, context, arguments);
        }

        try
        {
            var running = Invoke(method, context, method.TargetFactory?.Invoke(context.Services), arguments);
            return running.IsCompletedSuccessfully ? new((running.Result, null)) : AwaitResultAsync(method, context, running);
        }
        catch (Exception exception)
        {
            return new((null, Failure(method, context, exception)));
        }
    }

    private static ValueTask<object?> Invoke(MethodDescriptor method, MethodContext context, object? target, object?[] arguments) =>
        method.Pipeline is null
            ? method.Invoker(target, arguments)
            : method.Pipeline(new MethodInvocationContext(context, target, arguments));

    private async ValueTask<(object? Result, MethodError? Error)> AwaitResultAsync(
        MethodDescriptor method, MethodContext context, ValueTask<object?> running)
    {
        try
        {
            return (await running, null);
        }
        catch (Exception exception)
        {
            return (null, Failure(method, context, exception));
        }
    }

    /// <summary>A method on a target Tessera created (not a DI service): the target is disposed after the call.</summary>
    private async ValueTask<(object? Result, MethodError? Error)> InvokeAndDisposeAsync(
        MethodDescriptor method, MethodContext context, object?[] arguments)
    {
        object? target = null;
        try
        {
            target = method.TargetFactory?.Invoke(context.Services);
            return (await Invoke(method, context, target, arguments), null);
        }
        catch (Exception exception)
        {
            return (null, Failure(method, context, exception));
        }
        finally
        {
            await DisposeAsync(target);
        }
    }

    private MethodError Failure(MethodDescriptor method, MethodContext context, Exception exception)
    {
        LogFailure(method, context, exception);
        if (exception is TooManyRequestsException tooMany)
        {
            context.Caller.DemandRetryAfter(tooMany.RetryAfter);
        }

        return ErrorTable.FromException(exception, context.TransactionId, _includeDetails);
    }

    private void LogFailure(MethodDescriptor method, MethodContext context, Exception exception)
    {
        switch (exception)
        {
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                Log.CallCancelled(logger, method.Name, context.TransactionId);
                break;
            case StoreUnavailableException unavailable:
                Log.StoreUnavailable(logger, method.Name, unavailable.Store, context.TransactionId, unavailable.Inner);
                break;
            case MethodException:
                break;
            default:
                Log.MethodFailed(logger, method.Name, context.TransactionId, exception);
                break;
        }
    }

    private static ValueTask DisposeAsync(object? target)
    {
        switch (target)
        {
            case IAsyncDisposable asyncDisposable:
                return asyncDisposable.DisposeAsync();
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The error a wire answers with when it fails after the call, e.g. writing an unserializable result.</summary>
    public MethodError ServerError(Exception exception, Guid transactionId) =>
        ErrorTable.FromException(exception, transactionId, _includeDetails);

    /// <summary>Whether error answers may carry exception details (Development only).</summary>
    public bool IncludesDetails => _includeDetails;
}
