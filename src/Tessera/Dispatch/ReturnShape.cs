namespace Tessera.Dispatch;

/// <summary>How a method hands back its result; the compiled and the reflected invoker unwrap each shape alike.</summary>
internal enum ReturnShape
{
    /// <summary><c>void</c>.</summary>
    Nothing,

    /// <summary>Any other type, returned as it is.</summary>
    Value,

    /// <summary><see cref="System.Threading.Tasks.Task"/>.</summary>
    Task,

    /// <summary><see cref="System.Threading.Tasks.ValueTask"/>.</summary>
    ValueTask,

    /// <summary><see cref="Task{TResult}"/>.</summary>
    TaskOfResult,

    /// <summary><see cref="ValueTask{TResult}"/>.</summary>
    ValueTaskOfResult,
}

/// <summary>Classifies return types into <see cref="ReturnShape"/>.</summary>
internal static class ReturnShapes
{
    public static ReturnShape Of(Type returnType)
    {
        var definition = returnType.IsGenericType ? returnType.GetGenericTypeDefinition() : null;
        return returnType == typeof(void) ? ReturnShape.Nothing
            : returnType == typeof(Task) ? ReturnShape.Task
            : returnType == typeof(ValueTask) ? ReturnShape.ValueTask
            : definition == typeof(Task<>) ? ReturnShape.TaskOfResult
            : definition == typeof(ValueTask<>) ? ReturnShape.ValueTaskOfResult
            : ReturnShape.Value;
    }
}
