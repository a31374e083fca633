using Automation.Core.Holidays;
using static Automation.Core.Tests.Holidays.Calendars;

namespace Automation.Core.Tests.Holidays;

/// <summary>Each kind of rule against dates known from published calendars.</summary>
public sealed class RuleEvaluationTests
{
    private static readonly MarketCalendar Us = Of(
        Holiday("thanksgiving", """{"kind": "nthWeekday", "month": 11, "weekday": "thursday", "n": 4}"""),
        Holiday("black-friday", """{"kind": "relative", "holiday": "thanksgiving", "offsetDays": 1}"""),
        Holiday("cyber-monday", """{"kind": "relative", "holiday": "thanksgiving", "offsetDays": 4}"""),
        Holiday("memorial-day", """{"kind": "nthWeekday", "month": 5, "weekday": "monday", "n": -1}"""),
        Holiday("valentines-day", """{"kind": "fixed", "month": 2, "day": 14}"""));

    [Theory]
    [InlineData("thanksgiving", 2025, "2025-11-27")]
    [InlineData("thanksgiving", 2026, "2026-11-26")]
    [InlineData("black-friday", 2026, "2026-11-27")]
    [InlineData("cyber-monday", 2026, "2026-11-30")]
    [InlineData("black-friday", 2024, "2024-11-29")]
    [InlineData("cyber-monday", 2024, "2024-12-02")]
    [InlineData("memorial-day", 2026, "2026-05-25")]
    [InlineData("memorial-day", 2027, "2027-05-31")]
    [InlineData("valentines-day", 2027, "2027-02-14")]
    public void fixed_nth_weekday_and_relative_rules_give_the_published_dates(string id, int year, string expected) =>
        Assert.Equal([expected], DatesIn(Us, id, year));

    [Fact]
    public void a_fifth_weekday_the_month_lacks_gives_no_date_that_year()
    {
        var calendar = Of(Holiday("fifth-friday", """{"kind": "nthWeekday", "month": 2, "weekday": "friday", "n": 5}"""));

        Assert.Empty(DatesIn(calendar, "fifth-friday", 2026));
        Assert.Equal(["2036-02-29"], DatesIn(calendar, "fifth-friday", 2036));
    }

    [Fact]
    public void the_fifth_weekday_is_there_in_months_that_have_one()
    {
        var calendar = Of(Holiday("fifth-sunday", """{"kind": "nthWeekday", "month": 5, "weekday": "sunday", "n": 5}"""));

        Assert.Equal(["2026-05-31"], DatesIn(calendar, "fifth-sunday", 2026));
        Assert.Empty(DatesIn(calendar, "fifth-sunday", 2028));
    }

    [Fact]
    public void the_29th_of_february_falls_in_leap_years_only()
    {
        var calendar = Of(Holiday("leap-day", """{"kind": "fixed", "month": 2, "day": 29}"""));

        Assert.Equal(["2028-02-29"], Dates(calendar, "leap-day", "2025-01-01", "2030-12-31"));
        Assert.Empty(DatesIn(calendar, "leap-day", 2100));
        Assert.Equal(["2000-02-29"], DatesIn(calendar, "leap-day", 2000));
    }

    [Theory]
    [InlineData(2024, "2024-03-31", "2024-05-05")]
    [InlineData(2025, "2025-04-20", "2025-04-20")]
    [InlineData(2026, "2026-04-05", "2026-04-12")]
    [InlineData(2027, "2027-03-28", "2027-05-02")]
    [InlineData(2030, "2030-04-21", "2030-04-28")]
    [InlineData(2028, "2028-04-16", "2028-04-16")]
    public void western_and_orthodox_easter_are_the_published_sundays(int year, string western, string orthodox)
    {
        Assert.Equal(Day(western), Easter.Western(year));
        Assert.Equal(Day(orthodox), Easter.Orthodox(year));
        Assert.Equal(DayOfWeek.Sunday, Easter.Orthodox(year).DayOfWeek);
    }

    [Fact]
    public void easter_rules_move_by_their_offset()
    {
        var calendar = Of(
            Holiday("mothering-sunday", """{"kind": "easter", "offsetDays": -21}"""),
            Holiday("pentecost", """{"kind": "easter", "offsetDays": 49}"""),
            Holiday("orthodox-easter", """{"kind": "easter", "orthodox": true}"""));

        Assert.Equal(["2026-03-15"], DatesIn(calendar, "mothering-sunday", 2026));
        Assert.Equal(["2026-05-24"], DatesIn(calendar, "pentecost", 2026));
        Assert.Equal(["2026-04-12"], DatesIn(calendar, "orthodox-easter", 2026));
    }

    [Theory]
    [InlineData(2026, "2026-05-31")]
    [InlineData(2024, "2024-05-26")]
    [InlineData(2004, "2004-06-06")]
    [InlineData(2039, "2039-06-05")]
    public void a_rule_that_lands_on_the_holiday_it_avoids_takes_its_instead_rule(int year, string expected)
    {
        // France: the last Sunday of May, or the first of June when Pentecost is that Sunday (2004: Pentecost on 30 May).
        var calendar = Of(
            Holiday("pentecost", """{"kind": "easter", "offsetDays": 49}"""),
            Holiday("mothers-day", """
                {"kind": "nthWeekday", "month": 5, "weekday": "sunday", "n": -1, "avoid": "pentecost",
                 "instead": {"kind": "nthWeekday", "month": 6, "weekday": "sunday", "n": 1}}
                """));

        Assert.Equal([expected], DatesIn(calendar, "mothers-day", year));
    }

    [Fact]
    public void listed_dates_give_their_years_and_nothing_in_others()
    {
        var calendar = Of(Holiday("lunar-new-year", """{"kind": "dates", "dates": ["2026-02-17", "2027-02-06"]}"""));

        var window = HolidayEvaluator.Occurrences(calendar, Day("2026-01-01"), Day("2028-12-31"));

        Assert.Equal([Day("2026-02-17"), Day("2027-02-06")], window.Occurrences.Select(o => o.Date));
        Assert.Equal([2028], window.Missing.Select(m => m.Year));
        Assert.Equal("lunar-new-year", Assert.Single(window.Missing).Holiday.Id);
    }

    [Fact]
    public void a_holiday_relative_to_listed_dates_follows_them_and_the_gap_is_reported_once()
    {
        var calendar = Of(
            Holiday("diwali", """{"kind": "dates", "dates": ["2026-11-08"]}"""),
            Holiday("diwali-sale", """{"kind": "relative", "holiday": "diwali", "offsetDays": -7}"""));

        var window = HolidayEvaluator.Occurrences(calendar, Day("2026-01-01"), Day("2027-12-31"));

        Assert.Equal(["2026-11-01 diwali-sale", "2026-11-08 diwali"], window.Occurrences.Select(o => $"{o.Date:yyyy-MM-dd} {o.Holiday.Id}"));
        Assert.Equal(["diwali 2027"], window.Missing.Select(m => $"{m.Holiday.Id} {m.Year}"));
    }

    [Fact]
    public void an_offset_that_crosses_new_year_is_found_in_the_window_it_lands_in()
    {
        var calendar = Of(Holiday("after-christmas", """{"kind": "fixed", "month": 12, "day": 25, "offsetDays": 10}"""));

        Assert.Equal(["2027-01-04"], Dates(calendar, "after-christmas", "2027-01-01", "2027-01-31"));
    }

    [Fact]
    public void occurrences_come_in_date_order_then_by_id_and_only_inside_the_window()
    {
        var window = HolidayEvaluator.Occurrences(Us, Day("2026-11-26"), Day("2026-11-30"));

        Assert.Equal(["2026-11-26 thanksgiving", "2026-11-27 black-friday", "2026-11-30 cyber-monday"],
            window.Occurrences.Select(o => $"{o.Date:yyyy-MM-dd} {o.Holiday.Id}"));
        Assert.Empty(window.Missing);
    }

    [Fact]
    public void rules_are_described_in_words()
    {
        var calendar = Of(
            Holiday("thanksgiving", """{"kind": "nthWeekday", "month": 11, "weekday": "thursday", "n": 4}"""),
            Holiday("black-friday", """{"kind": "relative", "holiday": "thanksgiving", "offsetDays": 1}"""),
            Holiday("cyber-monday", """{"kind": "relative", "holiday": "black-friday", "offsetDays": 3}"""),
            Holiday("mothering-sunday", """{"kind": "easter", "offsetDays": -21}"""),
            Holiday("memorial-day", """{"kind": "nthWeekday", "month": 5, "weekday": "monday", "n": -1}"""),
            Holiday("leap-day", """{"kind": "fixed", "month": 2, "day": 29}"""),
            Holiday("lunar-new-year", """{"kind": "dates", "dates": ["2025-01-29", "2026-02-17", "2027-02-06", "2030-02-03"]}"""),
            Holiday("pentecost", """{"kind": "easter", "offsetDays": 49}"""),
            Holiday("fete-des-meres", """
                {"kind": "nthWeekday", "month": 5, "weekday": "sunday", "n": -1, "avoid": "pentecost",
                 "instead": {"kind": "nthWeekday", "month": 6, "weekday": "sunday", "n": 1}}
                """));
        string Text(string id) => RuleText.Describe(calendar, calendar.Find(id)!.Rule);

        Assert.Equal("4th Thursday of November + 1 day", Text("black-friday"));
        Assert.Equal("4th Thursday of November + 4 days", Text("cyber-monday"));
        Assert.Equal("Easter Sunday - 21 days", Text("mothering-sunday"));
        Assert.Equal("last Monday of May", Text("memorial-day"));
        Assert.Equal("29 February (leap years only)", Text("leap-day"));
        Assert.Equal("dates set for 2025-2027, 2030", Text("lunar-new-year"));
        Assert.Equal("last Sunday of May, or 1st Sunday of June when that is pentecost", Text("fete-des-meres"));
    }
}
