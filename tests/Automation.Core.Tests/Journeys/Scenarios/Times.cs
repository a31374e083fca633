using System.Globalization;
using Automation.Core.Journeys.Calendar;
using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// Times as scenario tables write them: <c>2026-03-02T09:00Z</c> (an instant) or
/// <c>2026-03-09T10:00 America/New_York</c> (a wall-clock time in a zone, DST included).
/// </summary>
internal static class Times
{
    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    public static DateTimeOffset Parse(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        var local = DateTime.ParseExact(text[..space], LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(text[(space + 1)..]);
        return LocalTime.At(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), zone);
    }

    public static TimeSpan Duration(string iso) => IsoDuration.Parse(iso);

    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
