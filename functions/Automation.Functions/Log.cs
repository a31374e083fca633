namespace Automation.Functions;

/// <summary>
/// Every log line of the app, source-generated. Never log personal data (emails, names) or
/// secrets: customers appear by store id and event id only.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(900, LogLevel.Error, "App setting {Setting} is a Key Vault reference the platform did not resolve (missing secret, or the identity may not read it); the setting counts as not set")]
    public static partial void KeyVaultReferenceUnresolved(ILogger logger, string setting);

    [LoggerMessage(1000, LogLevel.Debug, "Applied event {EventId} ({Type}) for store {StoreId} after {Attempts} attempt(s): {Outcome}")]
    public static partial void EventApplied(ILogger logger, string eventId, string type, string storeId, int attempts, string outcome);

    [LoggerMessage(1001, LogLevel.Information, "Event {EventId} for store {StoreId} was applied before; redelivery ignored")]
    public static partial void EventDuplicate(ILogger logger, string eventId, string storeId);

    [LoggerMessage(1002, LogLevel.Debug, "Event {EventId} lost a race for its profile (attempt {Attempt}); deciding again")]
    public static partial void EventConflict(ILogger logger, string eventId, int attempt);

    [LoggerMessage(1003, LogLevel.Warning, "Message {MessageId} failed on delivery {Attempt}: {Reason}")]
    public static partial void MessageFailed(ILogger logger, string messageId, long attempt, string reason);

    [LoggerMessage(1004, LogLevel.Error, "Message {MessageId} parked after {Attempts} deliveries: {Reason}")]
    public static partial void MessageParked(ILogger logger, string messageId, long attempts, string reason);

    [LoggerMessage(1005, LogLevel.Error, "The local event consumer loop failed; restarting it")]
    public static partial void ConsumerLoopFailed(ILogger logger, Exception ex);

    [LoggerMessage(2000, LogLevel.Information, "{Source} webhook for store {StoreId}: topic {Topic} → {Count} event(s)")]
    public static partial void WebhookAccepted(ILogger logger, string source, string storeId, string topic, int count);

    [LoggerMessage(2001, LogLevel.Information, "{Source} webhook for store {StoreId}: topic {Topic} ignored ({Reason})")]
    public static partial void WebhookIgnored(ILogger logger, string source, string storeId, string topic, string reason);

    [LoggerMessage(2005, LogLevel.Error, "{Source} webhook for store {StoreId}: topic {Topic}, {Count} event(s) parked, the queue cannot take them: {Reason}")]
    public static partial void WebhookParked(ILogger logger, string source, string storeId, string topic, int count, string reason);

    [LoggerMessage(2002, LogLevel.Warning, "{Source} webhook for store {StoreId} refused: {Status} {Reason}")]
    public static partial void WebhookRefused(ILogger logger, string source, string storeId, int status, string reason);

    [LoggerMessage(2003, LogLevel.Error, "Could not queue {Count} event(s) for store {StoreId}")]
    public static partial void QueueUnavailable(ILogger logger, Exception ex, int count, string storeId);

    [LoggerMessage(3000, LogLevel.Error, "Storage is not reachable at start-up; tables and queues were not created")]
    public static partial void StorageUnavailable(ILogger logger, Exception ex);

    [LoggerMessage(4000, LogLevel.Information, "Installed shipped journey {JourneyId} as version 1")]
    public static partial void JourneyInstalled(ILogger logger, string journeyId);

    [LoggerMessage(4001, LogLevel.Error, "Shipped journey file {File} is invalid and was not installed: {Problems}")]
    public static partial void JourneyFileInvalid(ILogger logger, string file, string problems);

    [LoggerMessage(4002, LogLevel.Information, "Swept {Count} due timer(s) up to {DueBy}")]
    public static partial void TimersSwept(ILogger logger, int count, DateTimeOffset dueBy);

    [LoggerMessage(4003, LogLevel.Error, "The timer sweep failed; trying again next interval")]
    public static partial void SweepFailed(ILogger logger, Exception ex);

    [LoggerMessage(4010, LogLevel.Error, "A due {Kind} timer of store {StoreId} failed; tried again in {RetryIn}")]
    public static partial void TimerFailed(ILogger logger, Exception ex, string kind, string storeId, TimeSpan retryIn);

    [LoggerMessage(4004, LogLevel.Information, "Action {ActionKey} ({Kind}) dispatched: {Outcome}")]
    public static partial void ActionDispatched(ILogger logger, string actionKey, string kind, string outcome);

    [LoggerMessage(4005, LogLevel.Warning, "Action {ActionKey} ({Kind}) failed on attempt {Attempt}; retried later: {Reason}")]
    public static partial void ActionRetry(ILogger logger, string actionKey, string kind, int attempt, string reason);

    [LoggerMessage(4006, LogLevel.Warning, "Email action {ActionKey} was interrupted mid-send; not sent again (at most once)")]
    public static partial void EmailNotResent(ILogger logger, string actionKey);

    [LoggerMessage(4007, LogLevel.Information, "Virtual clock moved to {Now}; {Fired} timer(s) fired")]
    public static partial void ClockMoved(ILogger logger, DateTimeOffset now, int fired);
}
