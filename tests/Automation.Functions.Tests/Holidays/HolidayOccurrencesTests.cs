using System.Net;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Holidays;

/// <summary><c>GET /api/holidays/{storeId}</c>: the dated holidays of every market a store sells in.</summary>
public sealed class HolidayOccurrencesTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(HolidayKit.Stores);

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task a_store_with_two_markets_gets_both_calendars_in_date_order()
    {
        var answer = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/custom?from=2026-11-01&to=2026-12-31"));

        Assert.Equal(
        [
            "2026-11-27 GB black-friday", "2026-11-27 DE black-friday", "2026-11-30 GB cyber-monday", "2026-11-30 DE cyber-monday",
            "2026-12-06 DE st-nicholas-day", "2026-12-24 DE christmas-eve", "2026-12-25 GB christmas", "2026-12-25 DE christmas", "2026-12-26 GB boxing-day",
        ], HolidayKit.Lines(answer));
        var blackFriday = answer.GetProperty("occurrences")[0];
        Assert.Equal(("Black Friday", "4th Thursday of November + 1 day", "default", "shopping"),
            (blackFriday.Text("name"), blackFriday.Text("rule"), blackFriday.Text("calendar"), blackFriday.Text("category")));
        Assert.Equal("Heiligabend", answer.GetProperty("occurrences")[5].GetProperty("names").Text("de"));
        Assert.Equal(["GB default", "DE default"], answer.GetProperty("markets").EnumerateArray().Select(m => $"{m.Text("market")} {m.Text("calendar")}"));
        Assert.Empty(answer.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task the_us_calendar_follows_thanksgiving()
    {
        var answer = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/shop?from=2026-11-20&to=2026-11-30"));

        Assert.Equal(["2026-11-26 US thanksgiving", "2026-11-27 US black-friday", "2026-11-30 US cyber-monday"], HolidayKit.Lines(answer));
        Assert.Equal("4th Thursday of November + 4 days", answer.GetProperty("occurrences")[2].Text("rule"));
    }

    [Fact]
    public async Task without_dates_the_window_is_the_coming_year_from_today_in_the_stores_zone()
    {
        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 20, 0, 0, TimeSpan.Zero)); // already 3 November in Kolkata

        var india = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/india"));
        var london = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/custom"));

        Assert.Equal(("2026-11-03", "2027-11-03"), (india.Text("from"), india.Text("to")));
        Assert.Equal(("2026-11-02", "2027-11-02"), (london.Text("from"), london.Text("to")));
        Assert.Equal("2026-11-08 IN diwali", HolidayKit.Lines(india)[0]);
    }

    [Fact]
    public async Task years_without_listed_dates_are_warned_about_not_guessed()
    {
        var answer = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/india?from=2030-10-01&to=2031-12-31"));

        var lines = HolidayKit.Lines(answer);
        Assert.Contains("2030-10-26 IN diwali", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("2031", StringComparison.Ordinal) && l.EndsWith("diwali", StringComparison.Ordinal));
        Assert.Contains("2031-12-25 IN christmas", lines);
        var warnings = answer.GetProperty("warnings").EnumerateArray().ToList();
        Assert.Equal(["IN diwali 2031", "IN eid-al-fitr 2031", "IN holi 2031"],
            warnings.Select(w => $"{w.Text("market")} {w.Text("holiday")} {w.GetProperty("year").GetInt32()}"));
        Assert.Contains("has no dates for Diwali (diwali) in 2031", warnings.Single(w => w.Text("holiday") == "diwali").Text("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_market_nothing_ships_for_is_listed_as_having_no_calendar()
    {
        var answer = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/woo?from=2026-12-20&to=2026-12-31"));

        Assert.Equal(["2026-12-25 ES christmas"], HolidayKit.Lines(answer));
        Assert.Equal(["ES default", "NL none"], answer.GetProperty("markets").EnumerateArray().Select(m => $"{m.Text("market")} {m.Text("calendar")}"));
        Assert.Contains("No calendar ships for market NL", answer.GetProperty("warnings")[0].Text("message"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?from=2026-13-01", "from", "'2026-13-01' is not a date")]
    [InlineData("?to=tomorrow", "to", "'tomorrow' is not a date")]
    [InlineData("?from=2026-12-01&to=2026-11-01", "to", "2026-11-01 is before from (2026-12-01)")]
    [InlineData("?from=2026-01-01&to=2029-12-31", "to", "at most 3 years")]
    public async Task a_bad_window_is_a_400_naming_the_parameter(string query, string field, string message)
    {
        var problem = await _app.ProblemAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/custom" + query), HttpStatusCode.BadRequest, message);

        Assert.Equal([field], HttpKit.ErrorFields(problem));
    }

    [Fact]
    public async Task a_window_from_the_last_year_of_the_calendar_stops_at_its_end_instead_of_failing()
    {
        var answer = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/shop?from=9999-06-01"));

        Assert.Equal("9999-12-31", answer.GetProperty("to").GetString());
    }

    [Fact]
    public async Task three_years_is_allowed()
    {
        var answer = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/shop?from=2026-01-01&to=2028-12-31"));

        Assert.Equal(3, HolidayKit.Lines(answer).Count(l => l.EndsWith("thanksgiving", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task a_store_without_markets_is_told_how_to_set_them()
    {
        await using var app = await TestApp.StartAsync(new() { ["Automation:Stores:bare:Platform"] = "custom" });

        var answer = await app.OkAsync(app.Keyed(HttpMethod.Get, "/api/holidays/bare"));

        Assert.Empty(answer.GetProperty("occurrences").EnumerateArray());
        Assert.Contains("Automation__Stores__bare__Markets", answer.GetProperty("warnings")[0].Text("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_unknown_store_is_a_404_and_the_api_key_is_required()
    {
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/nowhere"), HttpStatusCode.NotFound, "nowhere");

        var (status, _) = await _app.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/holidays/custom"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
