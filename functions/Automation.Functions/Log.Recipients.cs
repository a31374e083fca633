namespace Automation.Functions;

// The recipient's side: unsubscribe and survey pages, the suppression list. Ids 6000–6099.
// Customers appear by store id only; never a customer key, an address, a name or a token.
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Information, "Recipient link refused: {Reason}")]
    public static partial void LinkRefused(ILogger logger, string reason);

    [LoggerMessage(6001, LogLevel.Information, "Unsubscribe ({Scope}) for store {StoreId}: {Outcome}")]
    public static partial void Unsubscribed(ILogger logger, string scope, string storeId, string outcome);

    [LoggerMessage(6002, LogLevel.Information, "Survey answer {Score} for store {StoreId}, journey {JourneyId}")]
    public static partial void SurveyAnswered(ILogger logger, int score, string storeId, string? journeyId);

    [LoggerMessage(6003, LogLevel.Error, "Could not apply a recipient's {Action} for store {StoreId}; the page asked them to try again")]
    public static partial void RecipientActionFailed(ILogger logger, Exception ex, string action, string storeId);

    [LoggerMessage(6004, LogLevel.Information, "Suppression list of store {StoreId}: {Action} ({Reason}) by {Source}; {Customers} customer(s) told")]
    public static partial void SuppressionChanged(ILogger logger, string storeId, string action, string reason, string source, int customers);
}
