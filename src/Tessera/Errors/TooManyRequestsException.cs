namespace Tessera.Errors;

/// <summary>
/// Fails a call with 1014 because its client is going too fast or has too much waiting; the dispatcher turns
/// <see cref="RetryAfter"/> into the HTTP answer's <c>Retry-After</c>. Thrown from anywhere a call runs (a method body, a
/// service it calls such as the password hasher), so the caller needs no context to refuse.
/// </summary>
internal sealed class TooManyRequestsException(TimeSpan retryAfter)
    : MethodException(ErrorCodes.TooManyRequests, ErrorTable.TooManyRequests(retryAfter).Value)
{
    /// <summary>How long the client should wait before trying again.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
