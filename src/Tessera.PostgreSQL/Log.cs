using Microsoft.Extensions.Logging;

namespace Tessera.PostgreSQL;

/// <summary>The package's log messages, source-generated, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Listening for events on PostgreSQL.")]
    public static partial void Listening(ILogger logger);

    [LoggerMessage(2, LogLevel.Warning, "Listening for events on PostgreSQL failed; reconnecting.")]
    public static partial void ListenFailed(ILogger logger, Exception exception);
}
