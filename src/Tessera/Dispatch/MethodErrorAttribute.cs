namespace Tessera;

/// <summary>
/// Declares an error a method can answer with, for discovery documents: <c>[MethodError(4000, "division by zero")]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class MethodErrorAttribute(int code, string message) : Attribute
{
    /// <summary>The error code.</summary>
    public int Code { get; } = code;

    /// <summary>What the error means.</summary>
    public string Message { get; } = message;
}
