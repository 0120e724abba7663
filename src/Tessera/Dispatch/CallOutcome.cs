using Tessera.Errors;

namespace Tessera.Dispatch;

/// <summary>How a call ended: a result (possibly none, for void methods) or an error.</summary>
internal readonly record struct CallOutcome(MethodDescriptor? Method, object? Result, MethodError? Error, Guid TransactionId)
{
    public static CallOutcome Failed(MethodError error) => new(null, null, error, Guid.Empty);

    /// <summary>A successful call of a void, Task or ValueTask method: answered with an empty body.</summary>
    public bool IsEmpty => Error is null && Method is { ReturnsVoid: true };
}
