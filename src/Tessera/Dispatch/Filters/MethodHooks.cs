namespace Tessera;

/// <summary>
/// A filter made of request hooks, for instrumentation in the style of Toto's before and after handlers.
/// Override only the hooks you need; each runs for every call, batch entries included.
/// </summary>
public abstract class MethodHooks : IMethodFilter
{
    /// <summary>Runs before the method. Throw a <see cref="MethodException"/> to refuse the call.</summary>
    protected virtual ValueTask OnBeforeAsync(MethodInvocationContext invocation) => ValueTask.CompletedTask;

    /// <summary>Runs after the method succeeded, with its result.</summary>
    protected virtual ValueTask OnAfterAsync(MethodInvocationContext invocation, object? result) => ValueTask.CompletedTask;

    /// <summary>Runs when the method (or a later hook) threw; the exception still fails the call.</summary>
    protected virtual ValueTask OnFailedAsync(MethodInvocationContext invocation, Exception exception) => ValueTask.CompletedTask;

    /// <summary>Runs last, whether the call succeeded or failed.</summary>
    protected virtual ValueTask OnFinallyAsync(MethodInvocationContext invocation) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(MethodInvocationContext invocation, MethodFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await OnBeforeAsync(invocation);
            var result = await next(invocation);
            await OnAfterAsync(invocation, result);
            return result;
        }
        catch (Exception exception)
        {
            await OnFailedAsync(invocation, exception);
            throw;
        }
        finally
        {
            await OnFinallyAsync(invocation);
        }
    }
}
