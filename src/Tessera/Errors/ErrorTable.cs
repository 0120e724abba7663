namespace Tessera.Errors;

/// <summary>
/// The one place that decides how a failure looks on the wire. Wires translate these errors into their own framing
/// (the Toto envelope uses the codes as they are); nothing else invents codes or messages.
/// </summary>
internal static class ErrorTable
{
    public const int ParseErrorCode = -32700;
    public const int InvalidRequestCode = -32600;
    public const int MethodNotFoundCode = -32601;
    public const int InvalidParamsCode = -32602;
    public const int InternalErrorCode = -32603;
    public const int AccessDeniedCode = -32001;

    /// <summary>
    /// The JSON-RPC 2.0 error for <paramref name="error"/>: the protocol's own codes for the failures it defines, and
    /// the Toto or method code otherwise, with the value as message when it is a string and as <c>data</c> otherwise.
    /// </summary>
    public static (int Code, string Message, object? Data) ToJsonRpc(MethodError error) => error switch
    {
        { ProtocolCode: AccessDeniedCode } => (AccessDeniedCode, "Access denied", null),
        { Code: ErrorCodes.ServerError } => (InternalErrorCode, "Internal error", error.Value),
        { Code: ErrorCodes.MethodNotFound } => (MethodNotFoundCode, "Method not found", error.Value),
        { Code: ErrorCodes.MissingMethod or ErrorCodes.MalformedRequest } => (InvalidRequestCode, "Invalid Request", error.Value),
        { Code: ErrorCodes.InvalidParameters } => (InvalidParamsCode, "Invalid params", error.Value),
        { Value: string message } => (error.Code, message, null),
        _ => (error.Code, "Method error", error.Value),
    };

    /// <summary>
    /// The XML-RPC fault for <paramref name="error"/>: the interoperable codes for protocol failures, the method's own
    /// code otherwise; the fault string is the value, or its JSON text when it is not a string.
    /// </summary>
    public static (int Code, string Message) ToXmlRpc(MethodError error, Func<object?, string> toJson)
    {
        var message = error.Value as string ?? toJson(error.Value);
        return error switch
        {
            { ProtocolCode: AccessDeniedCode } => (AccessDeniedCode, "Access denied"),
            { Code: ErrorCodes.ServerError } => (InternalErrorCode, message),
            { Code: ErrorCodes.MethodNotFound } => (MethodNotFoundCode, message),
            { Code: ErrorCodes.MissingMethod or ErrorCodes.MalformedRequest } => (InvalidRequestCode, message),
            { Code: ErrorCodes.InvalidParameters } => (InvalidParamsCode, message),
            _ => (error.Code, message),
        };
    }

    public static MethodError MethodNotFound(string name) => new(ErrorCodes.MethodNotFound, $"Cannot call '{name}'.");

    public static MethodError MissingMethod() => new(ErrorCodes.MissingMethod, "Missing method.");

    public static MethodError MissingParameters(IEnumerable<string> names) =>
        new(ErrorCodes.InvalidParameters, "Missing parameters: " + string.Join(", ", names));

    public static MethodError InvalidParameters(IEnumerable<string> problems) =>
        new(ErrorCodes.InvalidParameters, "Invalid parameters: " + string.Join("; ", problems));

    public static MethodError Malformed(string description) => new(ErrorCodes.MalformedRequest, description);

    public static MethodError NotAuthorized() => new(ErrorCodes.NotAuthorized, "Not authorized");

    /// <summary>A missing or wrong API token (gemstone's "Access denied"; JSON-RPC and XML-RPC answer -32001).</summary>
    public static MethodError AccessDenied() => new(ErrorCodes.NotAuthorized, "Access denied") { ProtocolCode = AccessDeniedCode };

    public static MethodError CrossSiteRefused() => new(ErrorCodes.NotAuthorized,
        "Cross-site request refused: a call that uses the session cookie must come from this service's pages or an " +
        "origin listed in cors_origin, or carry the X-CSRF-Token header.");

    public static MethodError TooManyRequests(TimeSpan retryAfter) =>
        new(ErrorCodes.TooManyRequests, RetryAfterSeconds(retryAfter) is var seconds && seconds == 1
            ? "Too many requests; retry in 1 second."
            : $"Too many requests; retry in {seconds} seconds.");

    /// <summary>Whole seconds to wait, rounded up, at least 1: what <c>Retry-After</c> says.</summary>
    public static long RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));

    public static MethodError InvalidCredentials() => new(ErrorCodes.InvalidCredentials, "Invalid user ID or password");

    public static MethodError UserIdTaken() => new(ErrorCodes.UserIdTaken, "User ID already in use.");

    public static MethodError InvalidUserId() => new(ErrorCodes.InvalidUserId, "Invalid user ID.");

    public static MethodError InvalidSignature() => new(ErrorCodes.InvalidRequestSignature, "Invalid HMAC");

    /// <summary>
    /// An exception from a method or filter. A <see cref="MethodException"/> is the method's own answer; anything else
    /// is a server error whose detail reaches the client only when <paramref name="includeDetails"/> is set
    /// (Development), and is otherwise identified by the transaction id the log carries.
    /// </summary>
    public static MethodError FromException(Exception exception, Guid transactionId, bool includeDetails) =>
        exception switch
        {
            MethodException method => new MethodError(method.Code, method.Value),
            _ when includeDetails => new MethodError(
                ErrorCodes.ServerError,
                $"{exception.GetType().FullName}: {exception.Message} (transaction {transactionId})"),
            _ => new MethodError(
                ErrorCodes.ServerError,
                $"An unexpected error occurred. Transaction {transactionId} is in the server log."),
        };
}
