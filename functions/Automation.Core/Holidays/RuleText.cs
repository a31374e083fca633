using System.Globalization;

namespace Automation.Core.Holidays;

/// <summary>A rule in words, for people checking a calendar: <c>4th Thursday of November + 1 day</c>.</summary>
public static class RuleText
{
    private static readonly string[] Ordinals = ["", "1st", "2nd", "3rd", "4th", "5th"];

    public static string Describe(MarketCalendar calendar, HolidayRule rule) => Describe(calendar, rule, []);

    private static string Describe(MarketCalendar calendar, HolidayRule rule, HashSet<string> seen)
    {
        var (text, offset) = Base(calendar, rule, seen);
        text += Offset(offset);
        if (rule.Avoid is { } avoid && rule.Instead is { } instead)
            text += $", or {Describe(calendar, instead, seen)} when that is {calendar.Find(avoid)?.Name ?? avoid}";
        return text;
    }

    /// <summary>The rule without its offset, and the offset; a relative rule folds its base's offset into its own.</summary>
    private static (string Text, int Offset) Base(MarketCalendar calendar, HolidayRule rule, HashSet<string> seen) => rule switch
    {
        FixedDateRule f => (f is { Month: 2, Day: 29 } ? "29 February (leap years only)" : $"{f.Day} {Month(f.Month)}", rule.OffsetDays),
        NthWeekdayRule w => ($"{(w.N == NthWeekdayRule.Last ? "last" : Ordinals[Math.Clamp(w.N, 0, 5)])} {w.Weekday} of {Month(w.Month)}", rule.OffsetDays),
        EasterRule e => (e.Orthodox ? "Orthodox Easter Sunday" : "Easter Sunday", rule.OffsetDays),
        ExplicitDatesRule x => ($"dates set for {Years(x.Years.ToList())}", 0),
        RelativeRule r when seen.Add(r.Holiday) && calendar.Find(r.Holiday) is { } of => of.Rule.Avoid is null
            ? Fold(Base(calendar, of.Rule, seen), rule.OffsetDays)
            : ($"{of.Name} ({Describe(calendar, of.Rule, seen)})", rule.OffsetDays),
        RelativeRule r => (r.Holiday, rule.OffsetDays),
        _ => ("?", rule.OffsetDays),
    };

    private static (string, int) Fold((string Text, int Offset) based, int offset) => (based.Text, based.Offset + offset);

    private static string Offset(int days) => days switch
    {
        0 => "",
        1 => " + 1 day",
        -1 => " - 1 day",
        > 0 => string.Create(CultureInfo.InvariantCulture, $" + {days} days"),
        _ => string.Create(CultureInfo.InvariantCulture, $" - {-days} days"),
    };

    private static string Month(int month) =>
        month is >= 1 and <= 12 ? CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month) : "?";

    /// <summary><c>2025-2030</c>, or <c>2025, 2027-2028</c> when there are gaps.</summary>
    private static string Years(List<int> years)
    {
        var runs = new List<string>();
        for (var i = 0; i < years.Count;)
        {
            var j = i;
            while (j + 1 < years.Count && years[j + 1] == years[j] + 1) j++;
            runs.Add(j == i ? years[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{years[i]}-{years[j]}"));
            i = j + 1;
        }
        return string.Join(", ", runs);
    }
}
