namespace Automation.Functions;

// SendGrid's event webhook and the journey statistics it feeds. Ids 7000–7099.
internal static partial class Log
{
    [LoggerMessage(7000, LogLevel.Warning, "SendGrid event webhook refused: {Status} {Reason}")]
    public static partial void SendGridEventsRefused(ILogger logger, int status, string reason);

    [LoggerMessage(7001, LogLevel.Information, "SendGrid event webhook: {Received} event(s), {Applied} applied, {Duplicates} duplicate(s), {Ignored} ignored")]
    public static partial void SendGridEventsAccepted(ILogger logger, int received, int applied, int duplicates, int ignored);

    [LoggerMessage(7002, LogLevel.Error, "SendGrid events could not be stored; answered 503 so SendGrid delivers them again")]
    public static partial void SendGridEventsFailed(ILogger logger, Exception ex);

    [LoggerMessage(7003, LogLevel.Debug, "Journey stat {StoreId}/{JourneyId}/{StepId}/{Metric} lost a race on shard {Shard}; retrying")]
    public static partial void StatConflict(ILogger logger, string storeId, string journeyId, string stepId, string metric, int shard);

    [LoggerMessage(7004, LogLevel.Information, "Housekeeping forgot {Count} SendGrid event marker(s) of days before {BeforeDay}")]
    public static partial void ProviderEventsForgotten(ILogger logger, int count, string beforeDay);
}
