using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Tessera.Dispatch;

/// <summary>
/// Calls a method through reflection and answers exactly as its compiled <see cref="MethodInvoker"/> does: the same
/// result for every return shape (nothing, a value, <see cref="Task"/>, <see cref="ValueTask"/> and their generic
/// forms) and the method's own exception, never a <see cref="TargetInvocationException"/>. It serves a method's first
/// calls while the compiled invoker is made in the background; a few microseconds slower, with nothing to compile.
/// </summary>
internal sealed class ReflectedInvoker
{
    private readonly MethodInfo _method;
    private readonly Delegate? _handler;
    private readonly ReturnShape _shape;

    // Task<T>.Result, and ValueTask<T>.AsTask for a ValueTask<T> result.
    private readonly PropertyInfo? _taskResult;
    private readonly MethodInfo? _asTask;

    // Task<T>.Result and ValueTask<T>.AsTask belong to the method's own return type, which a compiled program holds
    // with its members; Task<T> for a ValueTask<T> result is the very type AsTask returns.
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The members of the method's own return type, kept with the method.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Task<T> is the return type of ValueTask<T>.AsTask, which the program holds.")]
    public ReflectedInvoker(MethodInfo method, Delegate? handler)
    {
        _method = method;
        _handler = handler;
        var returnType = method.ReturnType;
        _shape = ReturnShapes.Of(returnType);
        if (_shape == ReturnShape.ValueTaskOfResult)
        {
            _asTask = returnType.GetMethod(nameof(ValueTask<int>.AsTask), Type.EmptyTypes);
            _taskResult = typeof(Task<>).MakeGenericType(returnType.GetGenericArguments()[0]).GetProperty(nameof(Task<int>.Result));
        }
        else if (_shape == ReturnShape.TaskOfResult)
        {
            _taskResult = returnType.GetProperty(nameof(Task<int>.Result));
        }
    }

    public ValueTask<object?> Invoke(object? target, object?[] arguments)
    {
        var returned = _handler is null
            ? _method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null)
            : InvokeHandler(_handler, arguments);
        switch (_shape)
        {
            case ReturnShape.Nothing:
                return default;
            case ReturnShape.Task:
                var task = (Task)returned!;
                return task.IsCompletedSuccessfully ? default : MethodInvokerFactory.AwaitTask(task);
            case ReturnShape.ValueTask:
                var valueTask = (ValueTask)returned!;
                return valueTask.IsCompletedSuccessfully ? default : MethodInvokerFactory.AwaitTask(valueTask.AsTask());
            case ReturnShape.TaskOfResult:
                return ResultOf((Task)returned!);
            case ReturnShape.ValueTaskOfResult:
                return ResultOf((Task)_asTask!.Invoke(returned, BindingFlags.DoNotWrapExceptions, binder: null, parameters: null, culture: null)!);
            default:
                return new ValueTask<object?>(returned);
        }
    }

    // A delegate of any kind (a lambda, a method group, one closed over its first argument) is called as itself; the
    // exception it throws comes out unwrapped, with its own stack trace.
    private static object? InvokeHandler(Delegate handler, object?[] arguments)
    {
        try
        {
            return handler.DynamicInvoke(arguments);
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is { } thrown)
        {
            ExceptionDispatchInfo.Capture(thrown).Throw();
            throw;
        }
    }

    private ValueTask<object?> ResultOf(Task task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(_taskResult!.GetValue(task)) : AwaitResultAsync(task);

    private async ValueTask<object?> AwaitResultAsync(Task task)
    {
        await task.ConfigureAwait(false);
        return _taskResult!.GetValue(task);
    }
}
