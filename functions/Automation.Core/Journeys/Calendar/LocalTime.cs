using System.Globalization;

namespace Automation.Core.Journeys.Calendar;

/// <summary>Turning "10:00 on a date in the recipient's zone" into an instant, DST included.</summary>
public static class LocalTime
{
    public static bool TryParseTimeOfDay(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>The zone, or UTC when the id is unknown on this machine (a journey never stops on it).</summary>
    public static TimeZoneInfo Zone(string? ianaId) =>
        ianaId is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>
    /// The instant when the wall clock in <paramref name="zone"/> shows <paramref name="time"/> on
    /// <paramref name="date"/>. A time skipped by a spring-forward change is taken at the change
    /// (02:30 becomes 03:00); a time that happens twice is its first occurrence.
    /// </summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The first instant at or after <paramref name="now"/> when the local clock shows <paramref name="time"/>.</summary>
    public static DateTimeOffset Next(DateTimeOffset now, TimeOnly time, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var at = At(today, time, zone);
        return at >= now ? at : At(today.AddDays(1), time, zone);
    }

    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
}
