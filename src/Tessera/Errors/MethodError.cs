namespace Tessera.Errors;

/// <summary>A failed call as every wire sees it: a code and a JSON-serializable value.</summary>
internal sealed record MethodError(int Code, object? Value);
