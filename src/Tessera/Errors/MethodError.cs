namespace Tessera.Errors;

/// <summary>
/// A failed call as every wire sees it: a Toto code and a JSON-serializable value. <see cref="ProtocolCode"/> marks the
/// few errors whose JSON-RPC and XML-RPC code is fixed by convention rather than derived from the Toto code.
/// </summary>
internal sealed record MethodError(int Code, object? Value)
{
    public int? ProtocolCode { get; init; }
}
