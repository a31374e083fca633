namespace Automation.Core.Holidays;

/// <summary>
/// When a holiday falls in a given year. Every kind but <see cref="ExplicitDatesRule"/> may move its
/// date by <see cref="OffsetDays"/> and may give way to another rule when it lands on a named holiday
/// (<see cref="Avoid"/> and <see cref="Instead"/>: France's Mother's Day moves when it meets Pentecost).
/// </summary>
public abstract record HolidayRule
{
    public const int MaxOffsetDays = 366;

    /// <summary>Days added to the date the rule gives; negative moves it earlier.</summary>
    public int OffsetDays { get; init; }

    /// <summary>The id of a holiday this one must not coincide with; see <see cref="Instead"/>.</summary>
    public string? Avoid { get; init; }

    /// <summary>The rule that gives the date, in the same year, when this one lands on <see cref="Avoid"/>.</summary>
    public HolidayRule? Instead { get; init; }
}

/// <summary>The same day every year (14 February). 29 February is a holiday only in leap years.</summary>
public sealed record FixedDateRule(int Month, int Day) : HolidayRule;

/// <summary>The <paramref name="N"/>th weekday of a month (1 to 5), or the last (-1). A 5th that a month lacks that year gives no date.</summary>
public sealed record NthWeekdayRule(int Month, DayOfWeek Weekday, int N) : HolidayRule
{
    public const int Last = -1;
}

/// <summary>Another holiday of the same market, moved by <see cref="HolidayRule.OffsetDays"/> (Black Friday is Thanksgiving + 1).</summary>
public sealed record RelativeRule(string Holiday) : HolidayRule;

/// <summary>Easter Sunday (Western, or the Orthodox one), moved by <see cref="HolidayRule.OffsetDays"/>.</summary>
public sealed record EasterRule(bool Orthodox) : HolidayRule;

/// <summary>
/// Dates listed per year, for holidays of lunar and other calendars (Lunar New Year, Diwali, Eid al-Fitr). A year
/// with no date listed has no occurrence: the calendar says it does not know rather than guess.
/// </summary>
/// <param name="Source">Where the dates come from, for whoever adds the next years.</param>
public sealed record ExplicitDatesRule(IReadOnlyList<DateOnly> Dates, string? Source = null) : HolidayRule
{
    public IEnumerable<int> Years => Dates.Select(d => d.Year).Distinct().Order();
}
