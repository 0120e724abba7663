namespace Tessera.Dispatch;

/// <summary>Composes the registered filters around a method's invoker, once per method at start-up.</summary>
internal static class FilterPipeline
{
    public static MethodFilterDelegate? Build(MethodDescriptor method, IReadOnlyList<IMethodFilter> filters)
    {
        if (filters.Count == 0)
        {
            return null;
        }

        var invoker = method.Invoker;
        MethodFilterDelegate next = invocation => invoker(invocation.Target, invocation.ArgumentArray);
        for (var i = filters.Count - 1; i >= 0; i--)
        {
            var filter = filters[i];
            var inner = next;
            next = invocation => filter.InvokeAsync(invocation, inner);
        }

        return next;
    }
}
