namespace Tessera;

/// <summary>Continues a call: the next filter, or the method itself. Answers with the method's result.</summary>
public delegate ValueTask<object?> MethodFilterDelegate(MethodInvocationContext invocation);

/// <summary>
/// Runs around every method invocation on every wire, batch entries included, once the arguments are bound and
/// validated. Register filters as services (<c>tessera.AddFilter&lt;T&gt;()</c>); they run in registration order and
/// are built into the dispatch pipeline once, at start-up.
/// </summary>
public interface IMethodFilter
{
    /// <summary>
    /// Does work before and after <paramref name="next"/>. Return without calling it to short-circuit the call;
    /// throw a <see cref="MethodException"/> to fail it.
    /// </summary>
    ValueTask<object?> InvokeAsync(MethodInvocationContext invocation, MethodFilterDelegate next);
}
