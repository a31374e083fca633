namespace Automation.Functions;

// Report counters. Ids 9000–9099.
internal static partial class Log
{
    [LoggerMessage(9000, LogLevel.Warning, "A report count was lost for store {StoreId}, journey {JourneyId}, metric {Metric} (storage answered {Status})")]
    public static partial void ReportCountLost(ILogger logger, string storeId, string journeyId, string metric, int status);
}
