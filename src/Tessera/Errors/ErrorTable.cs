namespace Tessera.Errors;

/// <summary>
/// The one place that decides how a failure looks on the wire. Wires translate these errors into their own framing
/// (the Toto envelope uses the codes as they are); nothing else invents codes or messages.
/// </summary>
internal static class ErrorTable
{
    public static MethodError MethodNotFound(string name) => new(ErrorCodes.MethodNotFound, $"Cannot call '{name}'.");

    public static MethodError MissingMethod() => new(ErrorCodes.MissingMethod, "Missing method.");

    public static MethodError MissingParameters(IEnumerable<string> names) =>
        new(ErrorCodes.InvalidParameters, "Missing parameters: " + string.Join(", ", names));

    public static MethodError InvalidParameters(IEnumerable<string> problems) =>
        new(ErrorCodes.InvalidParameters, "Invalid parameters: " + string.Join("; ", problems));

    public static MethodError Malformed(string description) => new(ErrorCodes.MalformedRequest, description);

    public static MethodError NotAuthorized() => new(ErrorCodes.NotAuthorized, "Not authorized");

    /// <summary>A missing or wrong API token (gemstone's "Access denied"; JSON-RPC answers it as -32001).</summary>
    public static MethodError AccessDenied() => new(ErrorCodes.NotAuthorized, "Access denied");

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
