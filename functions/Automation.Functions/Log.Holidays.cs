namespace Automation.Functions;

// Holiday calendars. Ids 9100–9199.
internal static partial class Log
{
    [LoggerMessage(9100, LogLevel.Information, "Store {StoreId} saved its {Market} holiday calendar ({Holidays} holidays, version {Version})")]
    public static partial void HolidayCalendarSaved(ILogger logger, string storeId, string market, int holidays, int version);

    [LoggerMessage(9101, LogLevel.Information, "Store {StoreId} put its {Market} holiday calendar back to the shipped default")]
    public static partial void HolidayCalendarReset(ILogger logger, string storeId, string market);

    [LoggerMessage(9102, LogLevel.Critical, "The shipped holiday calendars cannot be used: {Problems}")]
    public static partial void HolidayDefaultsInvalid(ILogger logger, string problems);
}
