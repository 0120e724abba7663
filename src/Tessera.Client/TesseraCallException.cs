using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tessera.Client;

/// <summary>
/// The service answered a call with an error: the method's own code (e.g. 4000) or one of Tessera's (docs/errors.md).
/// The call reached the service and was refused or failed there; a call that never got an answer throws
/// <see cref="TesseraTransportException"/> instead.
/// </summary>
public sealed partial class TesseraCallException : Exception
{
    /// <summary>Creates the exception for an error answer.</summary>
    public TesseraCallException(int code, string message, JsonElement value)
        : base(message)
    {
        Code = code;
        Value = value;
        TransactionId = FindTransactionId(message) ?? (value.ValueKind == JsonValueKind.String ? FindTransactionId(value.GetString()) : null);
    }

    /// <summary>The error code: JSON-RPC's (-32601 ...), Tessera's (1001 ...) or the method's own.</summary>
    public int Code { get; }

    /// <summary>The error's value as the service sent it (Toto's <c>value</c>, JSON-RPC's <c>data</c> or message).</summary>
    public JsonElement Value { get; }

    /// <summary>The transaction id of an unexpected server error, which names the server's log line; otherwise null.</summary>
    public Guid? TransactionId { get; }

    private static Guid? FindTransactionId(string? text) =>
        text is not null && TransactionPattern().Match(text) is { Success: true } match ? Guid.Parse(match.Groups[1].ValueSpan) : null;

    [GeneratedRegex(@"[Tt]ransaction ([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")]
    private static partial Regex TransactionPattern();
}

/// <summary>
/// A call got no usable answer: the connection failed, timed out, the status said the request could not be served, or
/// the body was not an answer. <see cref="RequestSent"/> says whether the request may have reached the service.
/// </summary>
public sealed class TesseraTransportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TesseraTransportException(string message, bool requestSent, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        RequestSent = requestSent;
        StatusCode = statusCode;
    }

    /// <summary>False when the connection could not be made, so the service cannot have run the call.</summary>
    public bool RequestSent { get; }

    /// <summary>The HTTP status, when an answer arrived.</summary>
    public int? StatusCode { get; }
}
