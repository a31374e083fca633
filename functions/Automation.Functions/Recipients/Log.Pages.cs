namespace Automation.Functions;

// The recipient pages' language. Ids 6090–6099 (of the recipient side's 6000–6099).
internal static partial class Log
{
    [LoggerMessage(6090, LogLevel.Warning, "Could not read the profile for a recipient page's language (store {StoreId}); the page uses the store's or the browser's")]
    public static partial void PageLanguageUnread(ILogger logger, Exception ex, string storeId);
}
