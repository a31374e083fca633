namespace Automation.Functions;

/// <summary>The audience index (9200–9299). Customers appear by count only.</summary>
internal static partial class Log
{
    [LoggerMessage(9200, LogLevel.Information, "Audience index of store {StoreId} rebuilt from {Profiles} profile(s): {Indexed} indexed, {Erased} erased customer(s) left out (their rows deleted); more to do: {More}")]
    public static partial void AudienceRebuilt(ILogger logger, string storeId, int profiles, int indexed, int erased, bool more);
}
