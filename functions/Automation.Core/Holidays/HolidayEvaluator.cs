namespace Automation.Core.Holidays;

/// <summary>
/// Dates a calendar's rules give. Pure: no clock, the window is passed in. Meant for calendars
/// <see cref="CalendarReader"/> accepted; on any other, a reference it cannot follow (a missing
/// holiday, a cycle) gives no date rather than an exception.
/// </summary>
public static class HolidayEvaluator
{
    /// <summary>Every occurrence of the calendar's holidays on a day in [<paramref name="from"/>, <paramref name="to"/>], by date then id.</summary>
    public static CalendarWindow Occurrences(MarketCalendar calendar, DateOnly from, DateOnly to)
    {
        var evaluation = new Evaluation(calendar);
        var occurrences = new List<HolidayOccurrence>();
        var missing = new List<MissingYear>();
        foreach (var holiday in calendar.Holidays)
        {
            // A rule's year is the year its base date is in; offsets can carry the date into the next or the previous one.
            var spill = (Reach(calendar, holiday.Rule, []) + 364) / 365;
            var firstYear = Math.Max(DateOnly.MinValue.Year, from.Year - spill);
            var lastYear = Math.Min(DateOnly.MaxValue.Year, to.Year + spill);
            for (var year = firstYear; year <= lastYear; year++)
            {
                foreach (var date in evaluation.Dates(holiday.Id, year))
                    if (date >= from && date <= to) occurrences.Add(new HolidayOccurrence(date, holiday));
            }
            if (holiday.Rule is ExplicitDatesRule listed)
            {
                var known = listed.Years.ToHashSet();
                for (var year = from.Year; year <= to.Year; year++)
                    if (!known.Contains(year)) missing.Add(new MissingYear(holiday, year));
            }
        }
        return new CalendarWindow(
            [.. occurrences.Distinct().OrderBy(o => o.Date).ThenBy(o => o.Holiday.Id, StringComparer.Ordinal)],
            [.. missing.OrderBy(m => m.Year).ThenBy(m => m.Holiday.Id, StringComparer.Ordinal)]);
    }

    /// <summary>The holiday's dates whose rule year is <paramref name="year"/> (none when the rule gives none that year).</summary>
    public static IReadOnlyList<DateOnly> DatesIn(MarketCalendar calendar, string holidayId, int year) =>
        new Evaluation(calendar).Dates(holidayId, year);

    /// <summary>How many days at most the rule's offsets move a date, following relative rules to their base.</summary>
    private static int Reach(MarketCalendar calendar, HolidayRule rule, HashSet<string> seen)
    {
        var own = Math.Abs(rule.OffsetDays);
        if (rule is RelativeRule relative && seen.Add(relative.Holiday) && calendar.Find(relative.Holiday) is { } baseHoliday)
            own += Reach(calendar, baseHoliday.Rule, seen);
        return rule.Instead is { } instead ? Math.Max(own, Reach(calendar, instead, seen)) : own;
    }

    /// <summary>One evaluation's memory of dates already worked out, and of what is being worked out (to stop at a cycle).</summary>
    private sealed class Evaluation(MarketCalendar calendar)
    {
        private readonly Dictionary<(string, int), IReadOnlyList<DateOnly>> _known = [];
        private readonly HashSet<(string, int)> _working = [];

        public IReadOnlyList<DateOnly> Dates(string holidayId, int year)
        {
            var key = (holidayId, year);
            if (_known.TryGetValue(key, out var dates)) return dates;
            if (calendar.Find(holidayId) is not { } holiday || !_working.Add(key)) return [];
            dates = Apply(holiday.Rule, year);
            _working.Remove(key);
            _known[key] = dates;
            return dates;
        }

        private IReadOnlyList<DateOnly> Apply(HolidayRule rule, int year)
        {
            var dates = Base(rule, year).Select(d => Move(d, rule.OffsetDays)).OfType<DateOnly>().ToList();
            if (rule.Avoid is not { } avoid || rule.Instead is not { } instead) return dates;
            var clashes = Dates(avoid, year);
            return [.. dates.SelectMany(d => clashes.Contains(d) ? Apply(instead, year) : [d]).Distinct()];
        }

        private IEnumerable<DateOnly> Base(HolidayRule rule, int year) => rule switch
        {
            FixedDateRule f => f.Month is >= 1 and <= 12 && f.Day >= 1 && f.Day <= DateTime.DaysInMonth(year, f.Month) ? [new DateOnly(year, f.Month, f.Day)] : [],
            NthWeekdayRule w => w.Month is >= 1 and <= 12 && NthWeekday(year, w.Month, w.Weekday, w.N) is { } d ? [d] : [],
            EasterRule e => [e.Orthodox ? Easter.Orthodox(year) : Easter.Western(year)],
            RelativeRule r => Dates(r.Holiday, year),
            ExplicitDatesRule x => x.Dates.Where(d => d.Year == year),
            _ => [],
        };
    }

    /// <summary>The <paramref name="n"/>th (1-5) or last (-1) <paramref name="weekday"/> of the month; null when the month has no such day.</summary>
    public static DateOnly? NthWeekday(int year, int month, DayOfWeek weekday, int n)
    {
        if (n is not (NthWeekdayRule.Last or >= 1 and <= 5)) return null;
        if (n == NthWeekdayRule.Last)
        {
            var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
            return last.AddDays(-(((int)last.DayOfWeek - (int)weekday + 7) % 7));
        }
        var first = new DateOnly(year, month, 1);
        var date = first.AddDays(((int)weekday - (int)first.DayOfWeek + 7) % 7 + 7 * (n - 1));
        return date.Month == month ? date : null;
    }

    /// <summary>The date moved by whole days; null past the ends of the calendar (year 1 or 9999).</summary>
    private static DateOnly? Move(DateOnly date, int days)
    {
        var target = (long)date.DayNumber + days;
        return target < DateOnly.MinValue.DayNumber || target > DateOnly.MaxValue.DayNumber ? null : DateOnly.FromDayNumber((int)target);
    }
}
