using Microsoft.Extensions.Logging;

namespace Tessera.Nats;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Following the NATS event stream failed; retrying.")]
    public static partial void FeedFailed(ILogger logger, Exception exception);
}
