using System.Globalization;
using Automation.Core.Holidays;
using Automation.Core.Tests.Journeys.Scenarios;
using static Automation.Core.Tests.Holidays.Calendars;

namespace Automation.Core.Tests.Holidays;

/// <summary>The shipped defaults (<c>journeys/calendars/holidays.json</c>) as read from the checkout: they parse, and give the right days.</summary>
public sealed class ShippedCalendarTests
{
    public static readonly string[] Markets = ["US", "GB", "DE", "FR", "ES", "BR", "RU", "CN", "IN"];

    private static readonly Lazy<ShippedCalendarsReadResult> Shipped = new(() =>
        CalendarReader.ReadShipped(File.ReadAllText(Path.Combine(ShippedJourneys.JourneysDirectory, "calendars", "holidays.json"))));

    private static MarketCalendar Market(string code) => Shipped.Value.Markets[code];

    [Fact]
    public void the_defaults_parse_and_cover_every_promised_market()
    {
        Assert.True(Shipped.Value.IsValid, string.Join("; ", Shipped.Value.Problems));
        Assert.Equal(Markets.Order(), Shipped.Value.Markets.Keys.Order());
    }

    /// <summary>Every market's 2026, holiday by holiday, from published calendars; a holiday added or dropped fails here too.</summary>
    public static TheoryData<string, string> Expected2026 => new()
    {
        { "US", "new-year 01-01, valentines-day 02-14, easter 04-05, mothers-day 05-10, memorial-day 05-25, fathers-day 06-21, independence-day 07-04, labor-day 09-07, halloween 10-31, thanksgiving 11-26, black-friday 11-27, cyber-monday 11-30, christmas 12-25" },
        { "GB", "new-year 01-01, valentines-day 02-14, mothers-day 03-15, eid-al-fitr 03-20, easter 04-05, fathers-day 06-21, halloween 10-31, black-friday 11-27, cyber-monday 11-30, christmas 12-25, boxing-day 12-26" },
        { "DE", "new-year 01-01, valentines-day 02-14, easter 04-05, mothers-day 05-10, fathers-day 05-14, black-friday 11-27, cyber-monday 11-30, st-nicholas-day 12-06, christmas-eve 12-24, christmas 12-25" },
        { "FR", "new-year 01-01, valentines-day 02-14, easter 04-05, pentecost 05-24, mothers-day 05-31, fathers-day 06-21, black-friday 11-27, cyber-monday 11-30, christmas 12-25" },
        { "ES", "new-year 01-01, epiphany 01-06, valentines-day 02-14, fathers-day 03-19, mothers-day 05-03, singles-day 11-11, black-friday 11-27, cyber-monday 11-30, christmas 12-25" },
        { "BR", "new-year 01-01, consumer-day 03-15, easter 04-05, mothers-day 05-10, valentines-day 06-12, fathers-day 08-09, childrens-day 10-12, singles-day 11-11, black-friday 11-27, cyber-monday 11-30, christmas 12-25" },
        { "RU", "new-year 01-01, christmas 01-07, valentines-day 02-14, defender-of-the-fatherland-day 02-23, womens-day 03-08, easter 04-12, singles-day 11-11, black-friday 11-27, mothers-day 11-29" },
        { "CN", "new-year 01-01, lunar-new-year 02-17, valentines-day 02-14, womens-day 03-08, mothers-day 05-10, 618 06-18, fathers-day 06-21, qixi 08-19, singles-day 11-11, christmas 12-25" },
        { "IN", "new-year 01-01, valentines-day 02-14, holi 03-04, eid-al-fitr 03-21, mothers-day 05-10, fathers-day 06-21, independence-day 08-15, diwali 11-08, christmas 12-25" },
    };

    [Theory]
    [MemberData(nameof(Expected2026))]
    public void each_market_gives_its_2026_days(string market, string expected)
    {
        var window = HolidayEvaluator.Occurrences(Market(market), Day("2026-01-01"), Day("2026-12-31"));

        var want = expected.Split(", ").Order(StringComparer.Ordinal);
        var got = window.Occurrences.Select(o => $"{o.Holiday.Id} {o.Date:MM-dd}").Order(StringComparer.Ordinal);
        Assert.Equal(want, got);
        Assert.Empty(window.Missing);
    }

    [Theory]
    [InlineData("US")]
    [InlineData("GB")]
    [InlineData("DE")]
    [InlineData("FR")]
    [InlineData("ES")]
    [InlineData("BR")]
    [InlineData("RU")]
    public void black_friday_is_the_day_after_us_thanksgiving_everywhere_it_is_kept(string market)
    {
        foreach (var year in Enumerable.Range(2025, 10))
        {
            var thanksgiving = HolidayEvaluator.NthWeekday(year, 11, DayOfWeek.Thursday, 4)!.Value;
            Assert.Equal([thanksgiving.AddDays(1)], HolidayEvaluator.DatesIn(Market(market), "black-friday", year));
            if (market != "RU") Assert.Equal([thanksgiving.AddDays(4)], HolidayEvaluator.DatesIn(Market(market), "cyber-monday", year));
        }
    }

    [Fact]
    public void france_moves_mothers_day_off_pentecost()
    {
        Assert.Equal([Day("2004-06-06")], HolidayEvaluator.DatesIn(Market("FR"), "mothers-day", 2004));
        Assert.Equal([Day("2039-06-05")], HolidayEvaluator.DatesIn(Market("FR"), "mothers-day", 2039));
        Assert.Equal([Day("2027-05-30")], HolidayEvaluator.DatesIn(Market("FR"), "mothers-day", 2027));
    }

    [Fact]
    public void lunar_new_year_and_qixi_are_the_chinese_calendars_days()
    {
        var chinese = new ChineseLunisolarCalendar();
        Assert.Equal(["2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03"], Listed("CN", "lunar-new-year"));
        foreach (var year in Enumerable.Range(2025, 6))
        {
            Assert.Equal([Lunar(chinese, year, 1, 1)], HolidayEvaluator.DatesIn(Market("CN"), "lunar-new-year", year));
            Assert.Equal([Lunar(chinese, year, 7, 7)], HolidayEvaluator.DatesIn(Market("CN"), "qixi", year));
        }
    }

    [Fact]
    public void eid_al_fitr_is_umm_al_qura_in_gb_and_a_day_later_or_the_same_in_india()
    {
        var ummAlQura = new UmAlQuraCalendar();
        var gb = Listed("GB", "eid-al-fitr").Select(Day).ToList();
        var india = Listed("IN", "eid-al-fitr").Select(Day).ToList();
        Assert.Equal(Enumerable.Range(1446, 6).Select(h => DateOnly.FromDateTime(ummAlQura.ToDateTime(h, 10, 1, 0, 0, 0, 0))), gb);
        Assert.All(gb.Zip(india), pair => Assert.InRange(pair.Second.DayNumber - pair.First.DayNumber, 0, 1));
        Assert.Equal(Day("2025-03-31"), india[0]);
        Assert.Equal(Day("2026-03-21"), india[1]);
    }

    [Fact]
    public void diwali_is_the_published_indian_date()
    {
        Assert.Equal(["2025-10-20", "2026-11-08", "2027-10-29", "2028-10-17", "2029-11-05", "2030-10-26"], Listed("IN", "diwali"));
    }

    [Fact]
    public void every_listed_holiday_has_dates_for_2025_to_2030_and_says_where_they_come_from()
    {
        foreach (var (market, calendar) in Shipped.Value.Markets)
        {
            foreach (var holiday in calendar.Holidays.Where(h => h.Rule is ExplicitDatesRule))
            {
                var rule = (ExplicitDatesRule)holiday.Rule;
                Assert.Equal(Enumerable.Range(2025, 6), rule.Years);
                Assert.False(string.IsNullOrWhiteSpace(rule.Source), $"{market} {holiday.Id} has no source");
            }
        }
    }

    [Theory]
    [InlineData("US")]
    [InlineData("GB")]
    [InlineData("DE")]
    [InlineData("FR")]
    [InlineData("ES")]
    [InlineData("BR")]
    [InlineData("RU")]
    [InlineData("CN")]
    [InlineData("IN")]
    public void every_market_has_the_occasions_journeys_rely_on_under_the_same_ids(string market)
    {
        var ids = Market(market).Holidays.Select(h => h.Id).ToHashSet();

        Assert.Subset(ids, new HashSet<string> { "new-year", "valentines-day", "mothers-day", "christmas" });
        // China's November is Singles' Day and India's is Diwali; neither runs Black Friday as a domestic event.
        Assert.Equal(market is not ("CN" or "IN"), ids.Contains("black-friday"));
    }

    private static string[] Listed(string market, string id) =>
        [.. ((ExplicitDatesRule)Market(market).Find(id)!.Rule).Dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))];

    /// <summary>A day of the Chinese calendar; a leap month earlier in the year shifts the months' numbering by one.</summary>
    private static DateOnly Lunar(ChineseLunisolarCalendar calendar, int year, int month, int day)
    {
        var leap = calendar.GetLeapMonth(year);
        return DateOnly.FromDateTime(calendar.ToDateTime(year, leap > 0 && leap <= month ? month + 1 : month, day, 0, 0, 0, 0));
    }
}
