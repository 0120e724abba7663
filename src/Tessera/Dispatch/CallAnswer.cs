using Tessera.Errors;

namespace Tessera.Dispatch;

/// <summary>
/// How one call ended, ready for any wire: the result already serialized to JSON (inside the call's scope, so nothing
/// it depends on is disposed yet) or the error. A wire only frames it.
/// </summary>
internal readonly record struct CallAnswer(MethodDescriptor? Method, byte[]? ResultJson, MethodError? Error, Guid TransactionId)
{
    public static CallAnswer Failed(MethodError error) => new(null, null, error, Guid.Empty);

    /// <summary>A successful call of a void, Task or ValueTask method: no result to write.</summary>
    public bool IsEmpty => Error is null && ResultJson is null;

    /// <summary>The result is a byte array (a body format may send it as binary).</summary>
    public bool IsBinary => Error is null && Method?.ResultType == typeof(byte[]);
}
