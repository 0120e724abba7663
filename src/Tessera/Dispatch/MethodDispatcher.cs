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

    public async ValueTask<CallOutcome> DispatchAsync(
        string? name,
        CallParameters parameters,
        Caller caller,
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        var transport = caller.Transport;
        if (string.IsNullOrEmpty(name))
        {
            return CallOutcome.Failed(ErrorTable.MissingMethod());
        }

        if (!registry.TryGet(name, out var method))
        {
            Log.UnknownMethod(logger, name);
            return CallOutcome.Failed(ErrorTable.MethodNotFound(name));
        }

        var started = telemetry.MeasuresDuration ? time.GetTimestamp() : 0;
        var transactionId = TransactionIds.Shared.Next();
        using var activity = TesseraTelemetry.ActivitySource.StartActivity(method.ActivityName, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("rpc.system", "tessera");
            activity.SetTag("rpc.method", method.Name);
            activity.SetTag("tessera.transport", transport);
            activity.SetTag("tessera.transaction_id", transactionId);
        }

        var context = new MethodContext(method.Name, caller, services, transactionId, cancellationToken);
        var error = method.Access.IsNone ? null : await AuthorizeAsync(method, context);
        object? result = null;
        object?[] arguments = [];
        if (error is null && method.RateLimiter is { } limiter)
        {
            error = Limit(method, limiter, context);
        }

        if (error is null)
        {
            error = ArgumentBinder.Bind(method, parameters, context, out arguments);
        }

        if (error is null)
        {
            (result, error) = await InvokeAsync(method, context, arguments);
        }

        if (error is not null)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("tessera.error_code", error.Code);
        }

        telemetry.Record(method.Name, transport, error?.Code, started == 0 ? null : time.GetElapsedTime(started));
        return new CallOutcome(method, result, error, transactionId);
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
            LogFailure(method, context, exception);
            return ErrorTable.FromException(exception, context.TransactionId, _includeDetails);
        }
    }

    private async ValueTask<(object? Result, MethodError? Error)> InvokeAsync(
        MethodDescriptor method,
        MethodContext context,
        object?[] arguments)
    {
        object? target = null;
        try
        {
            target = method.TargetFactory?.Invoke(context.Services);
            var result = method.Pipeline is null
                ? await method.Invoker(target, arguments)
                : await method.Pipeline(new MethodInvocationContext(context, target, arguments));
            return (result, null);
        }
        catch (Exception exception)
        {
            LogFailure(method, context, exception);
            return (null, ErrorTable.FromException(exception, context.TransactionId, _includeDetails));
        }
        finally
        {
            if (method.DisposesTarget)
            {
                await DisposeAsync(target);
            }
        }
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
