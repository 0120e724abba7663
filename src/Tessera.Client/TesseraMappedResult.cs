namespace Tessera.Client;

/// <summary>One instance's answer to a mapped call (<see cref="TesseraClient.MapAsync{T}"/>).</summary>
/// <param name="Instance">The instance that answered (or failed to).</param>
/// <param name="Value">Its result, when it succeeded.</param>
/// <param name="Error">Its error: a <see cref="TesseraCallException"/> or a <see cref="TesseraTransportException"/>.</param>
public sealed record TesseraMappedResult<T>(Uri Instance, T? Value, Exception? Error)
{
    /// <summary>Whether this instance answered with a result.</summary>
    public bool Succeeded => Error is null;
}
