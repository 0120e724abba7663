namespace Tessera;

/// <summary>
/// A method's own failure: answered to the client with <see cref="Code"/> and <see cref="Value"/> on every wire.
/// </summary>
/// <example><c>throw new MethodException(4000, "division by zero");</c></example>
public class MethodException : Exception
{
    /// <summary>Fails the call with <paramref name="code"/> and any JSON-serializable <paramref name="value"/>.</summary>
    public MethodException(int code, object? value)
        : base(value as string ?? $"Method failed with code {code}.")
    {
        Code = code;
        Value = value;
    }

    /// <summary>The error code the client receives.</summary>
    public int Code { get; }

    /// <summary>The error value the client receives: a message, or any JSON-serializable value.</summary>
    public object? Value { get; }
}
