using System.Globalization;
using Automation.Core.Holidays;

namespace Automation.Core.Tests.Holidays;

/// <summary>Calendars written the way marketers write them, read by the real reader.</summary>
internal static class Calendars
{
    /// <summary>A calendar of the given holiday objects; fails the test when the reader refuses it.</summary>
    public static MarketCalendar Of(params string[] holidays)
    {
        var read = CalendarReader.Read(Document(holidays));
        Assert.True(read.IsValid, string.Join("; ", read.Problems));
        return read.Calendar!;
    }

    public static string Document(params string[] holidays) => $$"""{"schemaVersion": 1, "holidays": [{{string.Join(", ", holidays)}}]}""";

    public static string Holiday(string id, string rule) => $$"""{"id": "{{id}}", "name": "{{id}}", "rule": {{rule}}}""";

    public static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The holiday's dates in the window, as yyyy-MM-dd.</summary>
    public static string[] Dates(MarketCalendar calendar, string id, string from, string to) =>
    [
        .. HolidayEvaluator.Occurrences(calendar, Day(from), Day(to)).Occurrences
            .Where(o => o.Holiday.Id == id)
            .Select(o => o.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
    ];

    public static string[] DatesIn(MarketCalendar calendar, string id, int year) => Dates(calendar, id, $"{year}-01-01", $"{year}-12-31");
}
