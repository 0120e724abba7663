using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Tessera.Dispatch;

/// <summary>
/// Compiles a method into a <see cref="MethodInvoker"/> with expression trees, once, so a call costs a delegate
/// invocation instead of <see cref="MethodBase.Invoke(object, object[])"/>.
/// </summary>
internal static class MethodInvokerFactory
{
    /// <summary>
    /// An invoker that calls the method through reflection (<see cref="ReflectedInvoker"/>) until its compiled form,
    /// started by the first call, is ready. Compiling every method up front was a quarter of the time from process start
    /// to the first answer (about 1 ms a method, most of them never called in a given process's first second), and
    /// compiling on the first call made that call wait for it, and the process's first call for the expression
    /// compiler's own start as well; what can be wrong with a method is checked when the registry is built, not here.
    /// Where code cannot be compiled at run time (Native AOT), an expression tree would only be interpreted, and its
    /// generic helpers made for value types have no native code there: such a process keeps the reflection invoker.
    /// </summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = TrimmingNotes.ReflectionInvokeUnderAot)]
    public static MethodInvoker Create(MethodInfo method, Delegate? handler)
    {
        var reflected = new ReflectedInvoker(method, handler);
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return reflected.Invoke;
        }

        var compiled = new CompiledInBackground<MethodInvoker>(() => Compile(method, handler));
        return (target, arguments) => (compiled.TryGet() ?? reflected.Invoke)(target, arguments);
    }

    /// <summary>Compiles the invoker now: the expression tree and its delegate.</summary>
    [RequiresDynamicCode("An expression tree is compiled, and its result helpers are made for the method's result type.")]
    public static MethodInvoker Compile(MethodInfo method, Delegate? handler)
    {
        var target = Expression.Parameter(typeof(object), "target");
        var arguments = Expression.Parameter(typeof(object[]), "arguments");
        var parameters = method.GetParameters();
        var argumentExpressions = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            argumentExpressions[i] = Expression.Convert(
                Expression.ArrayIndex(arguments, Expression.Constant(i)),
                parameters[i].ParameterType);
        }

        Expression call = handler is not null
            ? Expression.Invoke(Expression.Constant(handler), argumentExpressions)
            : Expression.Call(
                method.IsStatic ? null : Expression.Convert(target, method.DeclaringType!),
                method,
                argumentExpressions);

        var body = WrapResult(call, method.ReturnType);
        return Expression.Lambda<MethodInvoker>(body, target, arguments).Compile();
    }

    /// <summary>The type a method's result is serialized as, or null when it answers with nothing.</summary>
    public static Type? ResultType(Type returnType) => ReturnShapes.Of(returnType) switch
    {
        ReturnShape.Nothing or ReturnShape.Task or ReturnShape.ValueTask => null,
        ReturnShape.TaskOfResult or ReturnShape.ValueTaskOfResult => returnType.GetGenericArguments()[0],
        _ => returnType,
    };

    // The generic helpers are found by name: kept when Tessera is trimmed, and made for the result type at run time.
    [RequiresDynamicCode("The result helpers are made for the method's result type at run time.")]
    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "The helpers are this class's own, kept by DynamicDependency; their type argument is the method's own result type.")]
    [DynamicDependency(nameof(FromTask), typeof(MethodInvokerFactory))]
    [DynamicDependency(nameof(FromValueTask), typeof(MethodInvokerFactory))]
    [DynamicDependency(nameof(FromTaskOf), typeof(MethodInvokerFactory))]
    [DynamicDependency(nameof(FromValueTaskOf), typeof(MethodInvokerFactory))]
    private static Expression WrapResult(Expression call, Type returnType) => ReturnShapes.Of(returnType) switch
    {
        ReturnShape.Nothing => Expression.Block(call, Expression.Default(typeof(ValueTask<object?>))),
        ReturnShape.Task => Expression.Call(Helper(nameof(FromTask)), call),
        ReturnShape.ValueTask => Expression.Call(Helper(nameof(FromValueTask)), call),
        ReturnShape.TaskOfResult => Expression.Call(Helper(nameof(FromTaskOf)).MakeGenericMethod(returnType.GetGenericArguments()[0]), call),
        ReturnShape.ValueTaskOfResult => Expression.Call(Helper(nameof(FromValueTaskOf)).MakeGenericMethod(returnType.GetGenericArguments()[0]), call),
        _ => Expression.New(typeof(ValueTask<object?>).GetConstructor([typeof(object)])!, Expression.Convert(call, typeof(object))),
    };

    private static MethodInfo Helper(string name) =>
        typeof(MethodInvokerFactory).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;

    // Completed tasks (the common case for fast methods) are unwrapped without an async state machine.
    private static ValueTask<object?> FromTask(Task task) =>
        task.IsCompletedSuccessfully ? default : AwaitTask(task);

    private static ValueTask<object?> FromValueTask(ValueTask task) =>
        task.IsCompletedSuccessfully ? default : AwaitTask(task.AsTask());

    private static ValueTask<object?> FromTaskOf<T>(Task<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : AwaitTaskOf(task);

    private static ValueTask<object?> FromValueTaskOf<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>(task.Result) : AwaitTaskOf(task.AsTask());

    internal static async ValueTask<object?> AwaitTask(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    private static async ValueTask<object?> AwaitTaskOf<T>(Task<T> task) => await task.ConfigureAwait(false);
}
