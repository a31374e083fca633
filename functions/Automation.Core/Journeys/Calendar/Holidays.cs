namespace Automation.Core.Journeys.Calendar;

/// <summary>
/// Named shopping holidays that journeys can wait for (<c>"holiday": "black-friday"</c>). Names
/// are persisted in definitions, so they never change. Dates are calendar dates; the time of
/// day is applied in each recipient's own zone.
/// </summary>
public static class Holidays
{
    private static readonly Dictionary<string, Func<int, DateOnly>> Rules = new(StringComparer.Ordinal)
    {
        ["new-year"] = y => new DateOnly(y, 1, 1),
        ["valentines-day"] = y => new DateOnly(y, 2, 14),
        ["easter"] = Easter,
        ["mothers-day-uk"] = y => Easter(y).AddDays(-21),
        ["mothers-day-us"] = y => Nth(y, 5, DayOfWeek.Sunday, 2),
        ["fathers-day"] = y => Nth(y, 6, DayOfWeek.Sunday, 3),
        ["halloween"] = y => new DateOnly(y, 10, 31),
        ["singles-day"] = y => new DateOnly(y, 11, 11),
        ["thanksgiving-us"] = y => Nth(y, 11, DayOfWeek.Thursday, 4),
        ["black-friday"] = y => Nth(y, 11, DayOfWeek.Thursday, 4).AddDays(1),
        ["cyber-monday"] = y => Nth(y, 11, DayOfWeek.Thursday, 4).AddDays(4),
        ["christmas-eve"] = y => new DateOnly(y, 12, 24),
        ["christmas"] = y => new DateOnly(y, 12, 25),
        ["boxing-day"] = y => new DateOnly(y, 12, 26),
    };

    public static IReadOnlyCollection<string> Names => Rules.Keys;

    public static bool IsKnown(string name) => Rules.ContainsKey(name);

    public static DateOnly In(string name, int year) => Rules[name](year);

    /// <summary>The first occurrence of the holiday on or after <paramref name="from"/>.</summary>
    public static DateOnly Next(string name, DateOnly from)
    {
        var date = In(name, from.Year);
        return date >= from ? date : In(name, from.Year + 1);
    }

    private static DateOnly Nth(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)day - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + 7 * (n - 1));
    }

    private static DateOnly Easter(int y) => Core.Holidays.Easter.Western(y);
}
