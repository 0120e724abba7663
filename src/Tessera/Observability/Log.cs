using Microsoft.Extensions.Logging;

namespace Tessera.Observability;

/// <summary>Tessera's log messages, source-generated, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "Method {Method} failed; transaction {TransactionId}.")]
    public static partial void MethodFailed(ILogger logger, string method, Guid transactionId, Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "Call to unknown method {Method}.")]
    public static partial void UnknownMethod(ILogger logger, string method);

    [LoggerMessage(3, LogLevel.Information, "Tessera serves {Count} methods under '{Root}'.")]
    public static partial void Serving(ILogger logger, int count, string root);

    [LoggerMessage(4, LogLevel.Debug, "Rejected a request with status {StatusCode}: {Reason}")]
    public static partial void RejectedRequest(ILogger logger, int statusCode, string reason);

    [LoggerMessage(5, LogLevel.Debug, "Call to {Method} was cancelled by the client; transaction {TransactionId}.")]
    public static partial void CallCancelled(ILogger logger, string method, Guid transactionId);

    [LoggerMessage(6, LogLevel.Error, "The {Transport} endpoint failed while handling {Path}; transaction {TransactionId}.")]
    public static partial void EndpointFailed(ILogger logger, string transport, string path, Guid transactionId, Exception exception);

    [LoggerMessage(7, LogLevel.Error, "The result of {Method} could not be written as JSON; transaction {TransactionId}.")]
    public static partial void ResultNotSerializable(ILogger logger, string method, Guid transactionId, Exception exception);

    [LoggerMessage(8, LogLevel.Debug, "Removed {Sessions} expired sessions and {Nonces} expired nonces.")]
    public static partial void CleanedUp(ILogger logger, int sessions, int nonces);

    [LoggerMessage(9, LogLevel.Warning, "Removing expired sessions failed; the next sweep will try again.")]
    public static partial void CleanupFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "User {UserId} signed in.")]
    public static partial void SignedIn(ILogger logger, string userId);

    [LoggerMessage(11, LogLevel.Information, "A sign-in for {UserId} failed.")]
    public static partial void SignInFailed(ILogger logger, string userId);

    [LoggerMessage(12, LogLevel.Error, "An event handler for '{Pattern}' failed on event {EventId}.")]
    public static partial void HandlerFailed(ILogger logger, string pattern, long eventId, Exception exception);

    [LoggerMessage(13, LogLevel.Warning, "An event handler for '{Pattern}' is too slow; event {EventId} was dropped for it.")]
    public static partial void HandlerTooSlow(ILogger logger, string pattern, long eventId);

    [LoggerMessage(14, LogLevel.Warning, "Reading the event log failed; retrying.")]
    public static partial void EventLogFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Information, "A {Transport} client fell {Pending} events behind and was disconnected.")]
    public static partial void SlowConsumer(ILogger logger, string transport, int pending);

    [LoggerMessage(16, LogLevel.Warning, "Call to {Method} refused: the {Store} store is unavailable; transaction {TransactionId}.")]
    public static partial void StoreUnavailable(ILogger logger, string method, string store, Guid transactionId, Exception exception);

    [LoggerMessage(17, LogLevel.Warning, "A WebSocket closed while {Calls} of its calls were still running after cancellation; they were left to finish.")]
    public static partial void CallsOutlivedSocket(ILogger logger, int calls);

    [LoggerMessage(18, LogLevel.Error, "A WebSocket message could not be answered.")]
    public static partial void SocketMessageFailed(ILogger logger, Exception exception);

    [LoggerMessage(19, LogLevel.Warning, "A sign-in for {UserId} from {Address} was refused: too many failures, retry in {Seconds} s.")]
    public static partial void SignInThrottled(ILogger logger, string userId, string address, long seconds);

    [LoggerMessage(20, LogLevel.Warning, "A call of {Method} was refused by rate limit '{Policy}'.")]
    public static partial void RateLimited(ILogger logger, string method, string policy);

    [LoggerMessage(21, LogLevel.Warning, "An e-mail ('{Subject}') was not sent: {Reason}.")]
    public static partial void MailNotSent(ILogger logger, string subject, string reason);

    [LoggerMessage(22, LogLevel.Error, "An e-mail ('{Subject}') could not be sent.")]
    public static partial void MailFailed(ILogger logger, string subject, Exception exception);

    [LoggerMessage(23, LogLevel.Warning, "A bearer token was refused ({Reason}): {Detail}")]
    public static partial void BearerRefused(ILogger logger, string reason, string detail);

    [LoggerMessage(24, LogLevel.Warning, "No jwt_key is configured: access tokens are signed with a random key of this process and die with it; set --jwt_key (base64, 32+ bytes) for tokens that survive restarts and work on every instance.")]
    public static partial void JwtKeyEphemeral(ILogger logger);

    [LoggerMessage(25, LogLevel.Warning, "A refresh token of {UserId} was used twice: its whole family is revoked.")]
    public static partial void RefreshTokenReused(ILogger logger, string userId);

    [LoggerMessage(26, LogLevel.Information, "Registered as {Service} at {Url} (heartbeat every {Seconds} s).")]
    public static partial void RegistryJoined(ILogger logger, string service, string url, int seconds);

    [LoggerMessage(27, LogLevel.Warning, "A registry heartbeat failed; the next one tries again.")]
    public static partial void RegistryHeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(28, LogLevel.Information, "Database: {Path}")]
    public static partial void DatabaseOpened(ILogger logger, string path);

    [LoggerMessage(29, LogLevel.Information, "Database: {Path} (new, empty: no database was there)")]
    public static partial void DatabaseCreated(ILogger logger, string path);

    [LoggerMessage(30, LogLevel.Warning, "No database was found at {Path}, though this data directory was used before (it holds keys in {KeysFolder}): a new, empty database was created. If the service's data lives elsewhere, stop it and point --data_dir at that folder.")]
    public static partial void DatabaseMissing(ILogger logger, string path, string keysFolder);

    [LoggerMessage(31, LogLevel.Information, "Periodic job {Job} runs every {Period}.")]
    public static partial void PeriodicJobScheduled(ILogger logger, string job, TimeSpan period);

    [LoggerMessage(32, LogLevel.Error, "A run of the periodic job {Job} failed.")]
    public static partial void PeriodicJobFailed(ILogger logger, string job, Exception exception);

    [LoggerMessage(33, LogLevel.Warning, "The store did not answer about the periodic job {Job}; the next tick tries again.")]
    public static partial void PeriodicClaimFailed(ILogger logger, string job, Exception exception);

    [LoggerMessage(34, LogLevel.Warning, "The periodic job {Job} lost its lease while running (the store did not see it renewed in time); another instance may run the next tick.")]
    public static partial void PeriodicLeaseLost(ILogger logger, string job);
}
