namespace Automation.Functions;

// Report counters. Ids 9000–9099.
internal static partial class Log
{
    [LoggerMessage(9000, LogLevel.Warning, "{Count} report count(s) were lost for store {StoreId}, journey {JourneyId}, step {StepId}, metric {Metric} (storage answered {Status})")]
    public static partial void ReportCountLost(ILogger logger, long count, string storeId, string journeyId, string stepId, string metric, int status);
}
