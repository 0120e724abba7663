using Microsoft.Extensions.Logging;

namespace Tessera.Redis;

/// <summary>The package's log messages, source-generated, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Listening for events on Redis.")]
    public static partial void Listening(ILogger logger);

    [LoggerMessage(2, LogLevel.Warning, "Subscribing to Redis events failed; retrying.")]
    public static partial void SubscribeFailed(ILogger logger, Exception exception);
}
