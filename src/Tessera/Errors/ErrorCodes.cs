namespace Tessera;

/// <summary>The error codes of the Toto envelope (docs/protocol.md section 1). Other wires map from these.</summary>
public static class ErrorCodes
{
    /// <summary>An unexpected server error; details are logged, not sent.</summary>
    public const int ServerError = 1000;

    /// <summary>No method has the requested name.</summary>
    public const int MethodNotFound = 1001;

    /// <summary>The request names no method.</summary>
    public const int MissingMethod = 1002;

    /// <summary>Required parameters are missing or a parameter value is invalid.</summary>
    public const int InvalidParameters = 1003;

    /// <summary>The caller is not authorized.</summary>
    public const int NotAuthorized = 1004;

    /// <summary>Unknown user id or wrong password.</summary>
    public const int InvalidCredentials = 1005;

    /// <summary>The user id is already in use.</summary>
    public const int UserIdTaken = 1006;

    /// <summary>The session is not valid.</summary>
    public const int InvalidSession = 1007;

    /// <summary>The request signature is wrong.</summary>
    public const int InvalidRequestSignature = 1008;

    /// <summary>The response signature is wrong (raised by clients).</summary>
    public const int InvalidResponseSignature = 1009;

    /// <summary>The user id is empty or invalid.</summary>
    public const int InvalidUserId = 1010;

    /// <summary>The request is malformed: unreadable body, wrong shape, too large.</summary>
    public const int MalformedRequest = 1011;

    /// <summary>The session was saved by another request since this one read it (Tessera's addition).</summary>
    public const int SessionConflict = 1012;

    /// <summary>The database or Redis did not answer in time; the call may be retried (Tessera's addition).</summary>
    public const int StoreUnavailable = 1013;

    /// <summary>Too many attempts or calls; retry after the time the answer names (Tessera's addition).</summary>
    public const int TooManyRequests = 1014;

    /// <summary>The account uses two-factor sign-in and no second factor came with the password (Tessera's addition).</summary>
    public const int SecondFactorRequired = 1015;
}
