using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Holidays;

/// <summary>Reads one holiday's <c>rule</c>; which holidays it names is checked afterwards, over the whole calendar (<see cref="CalendarReferences"/>).</summary>
internal sealed partial class RuleReader(CalendarJsonShape json)
{
    public const int MaxDates = 200, MaxSourceLength = 500;

    public const string Fixed = "fixed", NthWeekday = "nthWeekday", Relative = "relative", EasterKind = "easter", Dates = "dates";

    public static readonly string[] Kinds = [Fixed, NthWeekday, Relative, EasterKind, Dates];

    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private static readonly Dictionary<string, string[]> MembersByKind = new(StringComparer.Ordinal)
    {
        [Fixed] = ["kind", "month", "day", "offsetDays"],
        [NthWeekday] = ["kind", "month", "weekday", "n", "offsetDays"],
        [Relative] = ["kind", "holiday", "offsetDays"],
        [EasterKind] = ["kind", "orthodox", "offsetDays"],
        [Dates] = ["kind", "dates", "source"],
    };

    private static readonly string[] Moving = ["avoid", "instead"];

    private CalendarProblems Problems => json.Problems;

    /// <param name="nested">True for an <c>instead</c> rule, which may neither list dates nor avoid anything itself.</param>
    public HolidayRule? Read(JsonElement value, string path, bool nested)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Problems.Add(path, $"must be a rule object such as {{\"kind\": \"fixed\", \"month\": 12, \"day\": 25}}, not {CalendarJsonShape.Describe(value)}");
            return null;
        }
        if (KindOf(value, path, nested) is not { } kind) return null;
        var allowed = kind == Dates || nested ? MembersByKind[kind] : [.. MembersByKind[kind], .. Moving];
        var m = json.Object(value, path, "a rule object", $"a {kind} rule", allowed)!;
        var before = Problems.Count;
        HolidayRule? rule = kind switch
        {
            Fixed => ReadFixed(m, path),
            NthWeekday => ReadNthWeekday(m, path),
            Relative => json.String(m, path, "holiday", "is required: the id of the holiday this one follows, e.g. \"thanksgiving\"") is { } of
                && Id(CalendarJsonShape.Member(path, "holiday"), of) ? new RelativeRule(of) : null,
            EasterKind => new EasterRule(json.Boolean(m, path, "orthodox") ?? false),
            _ => ReadDates(m, path),
        };
        if (kind != Dates)
        {
            var offset = json.Integer(m, path, "offsetDays", -HolidayRule.MaxOffsetDays, HolidayRule.MaxOffsetDays,
                $"a whole number of days from -{HolidayRule.MaxOffsetDays} to {HolidayRule.MaxOffsetDays}") ?? 0;
            var (avoid, instead) = nested ? (null, null) : ReadAvoid(m, path);
            rule = rule is null ? null : rule with { OffsetDays = offset, Avoid = avoid, Instead = instead };
        }
        return Problems.Count == before ? rule : null;
    }

    private string? KindOf(JsonElement rule, string path, bool nested)
    {
        var at = CalendarJsonShape.Member(path, "kind");
        if (!rule.TryGetProperty("kind", out var kind))
        {
            Problems.Add(at, $"is required: one of {JourneyRules.List(Kinds)}");
            return null;
        }
        var text = kind.ValueKind == JsonValueKind.String ? Events.JsonSyntax.TryGetString(kind) : null;
        if (text is null || !Kinds.Contains(text))
        {
            var meant = text is null ? null : JourneyRules.Closest(text, Kinds);
            Problems.Add(at, $"must be one of {JourneyRules.List(Kinds)}, not {CalendarJsonShape.Describe(kind)}" + (meant is null ? "" : $" (did you mean '{meant}'?)"));
            return null;
        }
        if (nested && text == Dates)
        {
            Problems.Add(at, "cannot be dates in an instead rule: list the dates in the holiday's own rule");
            return null;
        }
        return text;
    }

    private FixedDateRule? ReadFixed(Dictionary<string, JsonElement> m, string path)
    {
        var month = Month(m, path);
        var day = json.Integer(m, path, "day", 1, 31, "a day of the month from 1 to 31", "is required: the day of the month, e.g. 25");
        if (month is null || day is null) return null;
        // 29 February is allowed and falls in leap years only.
        if (day > DateTime.DaysInMonth(2024, month.Value))
        {
            Problems.Add(CalendarJsonShape.Member(path, "day"), string.Create(CultureInfo.InvariantCulture,
                $"{MonthName(month.Value)} has no day {day}; it has {DateTime.DaysInMonth(2024, month.Value)} days"));
            return null;
        }
        return new FixedDateRule(month.Value, day.Value);
    }

    private NthWeekdayRule? ReadNthWeekday(Dictionary<string, JsonElement> m, string path)
    {
        var month = Month(m, path);
        var weekday = json.String(m, path, "weekday", "is required: the day of the week, e.g. \"thursday\"");
        var n = json.Integer(m, path, "n", NthWeekdayRule.Last, 5, "1 to 5 (the 1st to the 5th) or -1 (the last)",
            "is required: which one in the month, 1 to 5, or -1 for the last");
        if (n == 0)
        {
            Problems.Add(CalendarJsonShape.Member(path, "n"), "must be 1 to 5 (the 1st to the 5th) or -1 (the last), not the number 0");
            return null;
        }
        var day = weekday is null ? -1 : Array.IndexOf(Weekdays, weekday);
        if (weekday is not null && day < 0)
        {
            var meant = JourneyRules.Closest(weekday, Weekdays);
            Problems.Add(CalendarJsonShape.Member(path, "weekday"), $"must be one of {JourneyRules.List(Weekdays[1..].Append(Weekdays[0]))}, not {JourneyRules.Quote(weekday)}"
                + (meant is null ? "" : $" (did you mean '{meant}'?)"));
        }
        return month is null || n is null || day < 0 ? null : new NthWeekdayRule(month.Value, (DayOfWeek)day, n.Value);
    }

    private ExplicitDatesRule? ReadDates(Dictionary<string, JsonElement> m, string path)
    {
        var source = json.String(m, path, "source");
        if (source is { Length: > MaxSourceLength })
            Problems.Add(CalendarJsonShape.Member(path, "source"), string.Create(CultureInfo.InvariantCulture, $"is longer than {MaxSourceLength} characters"));
        if (json.Array(m, path, "dates", "a list of dates (yyyy-MM-dd)", "is required: the holiday's dates, e.g. [\"2026-02-17\", \"2027-02-06\"]") is not { } list) return null;
        var at = CalendarJsonShape.Member(path, "dates");
        var count = list.GetArrayLength();
        if (count == 0 || count > MaxDates)
        {
            Problems.Add(at, string.Create(CultureInfo.InvariantCulture, $"must list 1 to {MaxDates} dates, not {count}"));
            return null;
        }
        var dates = new List<DateOnly>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemAt = CalendarJsonShape.Item(at, index++);
            var text = item.ValueKind == JsonValueKind.String ? Events.JsonSyntax.TryGetString(item) : null;
            if (text is null || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                Problems.Add(itemAt, $"must be a date written yyyy-MM-dd, e.g. \"2026-02-17\", not {CalendarJsonShape.Describe(item)}");
            else if (dates.Contains(date)) Problems.Add(itemAt, $"{JourneyRules.Quote(text)} is listed twice");
            else dates.Add(date);
        }
        return new ExplicitDatesRule([.. dates.Order()], source);
    }

    private (string? Avoid, HolidayRule? Instead) ReadAvoid(Dictionary<string, JsonElement> m, string path)
    {
        var avoid = json.String(m, path, "avoid");
        if (avoid is not null && !Id(CalendarJsonShape.Member(path, "avoid"), avoid)) avoid = null;
        if (!m.TryGetValue("instead", out var insteadValue))
        {
            if (m.ContainsKey("avoid"))
                Problems.Add(CalendarJsonShape.Member(path, "instead"), "is required with avoid: the rule that gives the date when this one lands on the avoided holiday");
            return (null, null);
        }
        var instead = Read(insteadValue, CalendarJsonShape.Member(path, "instead"), nested: true);
        if (!m.ContainsKey("avoid"))
            Problems.Add(CalendarJsonShape.Member(path, "avoid"), "is required with instead: the id of the holiday this one must not fall on, e.g. \"pentecost\"");
        return (avoid, instead);
    }

    private int? Month(Dictionary<string, JsonElement> m, string path) =>
        json.Integer(m, path, "month", 1, 12, "a month from 1 to 12", "is required: the month, 1 (January) to 12 (December)");

    /// <summary>True when <paramref name="id"/> is shaped like a holiday id (whether the calendar has it is checked later).</summary>
    public bool Id(string path, string id)
    {
        if (IsId(id)) return true;
        Problems.Add(path, $"{JourneyRules.Quote(id)} is not a holiday id; ids are lower-case words joined by hyphens, e.g. \"black-friday\"");
        return false;
    }

    public static bool IsId(string id) => id.Length <= 63 && IdPattern().IsMatch(id);

    private static string MonthName(int month) => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex IdPattern();
}
