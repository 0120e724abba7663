using Tessera.Errors;

namespace Tessera.Auth.Throttling;

/// <summary>The one way a call is refused for going too fast: error 1014, and <c>Retry-After</c> on the HTTP answer.</summary>
internal static class Throttled
{
    public static MethodException Refuse(MethodContext context, TimeSpan retryAfter)
    {
        context.Caller.DemandRetryAfter(retryAfter);
        var error = ErrorTable.TooManyRequests(retryAfter);
        return new MethodException(error.Code, error.Value);
    }
}
