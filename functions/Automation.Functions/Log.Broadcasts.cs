namespace Automation.Functions;

/// <summary>Broadcasts of scheduled journeys (9300–9399). Customers appear by count only.</summary>
internal static partial class Log
{
    [LoggerMessage(9300, LogLevel.Information, "Broadcast {JourneyId}/{Occasion} of store {StoreId} planned: {Entries} entries from {Scanned} indexed customer(s); {NotInMarket} in no market keeping the holiday, {Late} already too late")]
    public static partial void BroadcastPlanned(ILogger logger, string storeId, string journeyId, string occasion, long entries, long scanned, long notInMarket, long late);

    [LoggerMessage(9301, LogLevel.Information, "Broadcast {JourneyId}/{Occasion} of store {StoreId}: {Entries} entries, {Batched} in {Requests} SendGrid request(s), {Individually} on the ordinary path, {Failed} to try again")]
    public static partial void BroadcastGroupSent(ILogger logger, string storeId, string journeyId, string occasion, int entries, int batched, int requests, int individually, int failed);

    [LoggerMessage(9302, LogLevel.Warning, "Broadcast {JourneyId}/{Occasion} of store {StoreId}: {Entries} entries dropped: {Reason}")]
    public static partial void BroadcastDropped(ILogger logger, string storeId, string journeyId, string occasion, int entries, string reason);

    [LoggerMessage(9303, LogLevel.Error, "Broadcast {JourneyId}/{Occasion} of store {StoreId}: an entry failed; it is tried again in {RetryAfter}")]
    public static partial void BroadcastEntryFailed(ILogger logger, Exception exception, string storeId, string journeyId, string occasion, TimeSpan retryAfter);

    [LoggerMessage(9304, LogLevel.Warning, "Broadcast {JourneyId}/{Occasion} of store {StoreId}: an email was sent, and the customer changed meanwhile so that the journey no longer sends it; recorded as the new decision has it")]
    public static partial void BroadcastPathChanged(ILogger logger, string storeId, string journeyId, string occasion);
}
