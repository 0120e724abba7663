namespace Tessera;

/// <summary>One method invocation as filters see it: the call and its bound arguments.</summary>
public sealed class MethodInvocationContext
{
    private readonly object?[] _arguments;

    internal MethodInvocationContext(MethodContext call, object? target, object?[] arguments)
    {
        Call = call;
        Target = target;
        _arguments = arguments;
    }

    /// <summary>The call: method name, transport, transaction id, HTTP exchange.</summary>
    public MethodContext Call { get; }

    /// <summary>The bound arguments in the C# method's parameter order, injected ones included.</summary>
    public IReadOnlyList<object?> Arguments => _arguments;

    internal object? Target { get; }

    internal object?[] ArgumentArray => _arguments;
}
