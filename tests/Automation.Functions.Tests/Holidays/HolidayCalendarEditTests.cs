using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Automation.Functions.Holidays;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Holidays;

/// <summary>A marketer's edit of one market's calendar: read it, replace it, put it back to the default.</summary>
public sealed class HolidayCalendarEditTests : IAsyncLifetime
{
    private const string BonfireNight = """{"id": "bonfire-night", "name": "Bonfire Night", "category": "festival", "rule": {"kind": "fixed", "month": 11, "day": 5}}""";

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(HolidayKit.Stores);

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task a_market_reads_as_the_shipped_default_until_the_store_edits_it()
    {
        var gb = await _app.GetCalendarAsync("custom", "GB");

        Assert.Equal(StoreCalendars.Default, gb.Source);
        Assert.Equal(1, gb.Document["schemaVersion"]!.GetValue<int>());
        Assert.Contains(gb.Document["holidays"]!.AsArray(), h => h!["id"]!.GetValue<string>() == "boxing-day");
        Assert.Equal(gb.ETag, (await _app.GetCalendarAsync("custom", "gb")).ETag);
    }

    [Fact]
    public async Task an_edit_saved_with_put_is_what_get_and_the_occurrences_show()
    {
        var before = await _app.GetCalendarAsync("custom", "GB");

        var saved = await _app.SendCalendarAsync(_app.Put("custom", "GB", HolidayKit.WithHoliday(before.Document, BonfireNight), before.ETag));
        var after = await _app.GetCalendarAsync("custom", "GB");
        var occurrences = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/custom?from=2026-11-01&to=2026-11-10"));

        Assert.Equal((StoreCalendars.Edited, StoreCalendars.Edited), (saved.Source, after.Source));
        Assert.NotEqual(before.ETag, saved.ETag);
        Assert.Equal(saved.ETag, after.ETag);
        Assert.Equal(saved.Document.ToJsonString(), after.Document.ToJsonString());
        Assert.Equal(["2026-11-05 GB bonfire-night"], HolidayKit.Lines(occurrences));
        Assert.Equal("edited", occurrences.GetProperty("occurrences")[0].Text("calendar"));
        var markets = occurrences.GetProperty("markets").EnumerateArray().ToList();
        Assert.Equal(("edited", 1, saved.ETag), (markets[0].Text("calendar"), markets[0].GetProperty("version").GetInt32(), markets[0].Text("etag")));
        Assert.Equal("default", markets[1].Text("calendar"));
        Assert.False(markets[1].TryGetProperty("version", out _));
        Assert.Equal(StoreCalendars.Default, (await _app.GetCalendarAsync("custom", "DE")).Source);
    }

    [Fact]
    public async Task a_put_or_delete_from_a_stale_read_is_refused_with_412_and_changes_nothing()
    {
        var first = await _app.GetCalendarAsync("custom", "GB");
        var mine = await _app.SendCalendarAsync(_app.Put("custom", "GB", HolidayKit.WithHoliday(first.Document, BonfireNight), first.ETag));
        var theirs = HolidayKit.WithHoliday(first.Document, """{"id": "pancake-day", "name": "Pancake Day", "rule": {"kind": "easter", "offsetDays": -47}}""");

        await _app.ProblemAsync(_app.Put("custom", "GB", theirs, first.ETag), HttpStatusCode.PreconditionFailed, "no longer the one If-Match names");
        await _app.ProblemAsync(_app.Delete("custom", "GB", first.ETag), HttpStatusCode.PreconditionFailed, "read it again");
        await _app.ProblemAsync(_app.Put("custom", "GB", theirs, "W/" + mine.ETag), HttpStatusCode.PreconditionFailed, "If-Match");

        var now = await _app.GetCalendarAsync("custom", "GB");
        Assert.Equal(mine.ETag, now.ETag);
        Assert.DoesNotContain("pancake-day", now.Document.ToJsonString(), StringComparison.Ordinal);
        var again = await _app.SendCalendarAsync(_app.Put("custom", "GB", theirs, $"\"nope\", {mine.ETag}"));
        Assert.Contains("pancake-day", again.Document.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_put_without_if_match_or_with_a_star_replaces_whatever_is_there()
    {
        var gb = await _app.GetCalendarAsync("custom", "GB");

        await _app.SendCalendarAsync(_app.Put("custom", "GB", HolidayKit.WithHoliday(gb.Document, BonfireNight)));
        var second = await _app.SendCalendarAsync(_app.Put("custom", "GB", """{"schemaVersion": 1, "holidays": []}""", "*"));

        Assert.Equal(StoreCalendars.Edited, second.Source);
        Assert.Empty(second.Document["holidays"]!.AsArray());
        var answer = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/custom?from=2026-12-20&to=2026-12-31"));
        Assert.Equal(["2026-12-24 DE christmas-eve", "2026-12-25 DE christmas"], HolidayKit.Lines(answer));
        Assert.Equal(2, answer.GetProperty("markets")[0].GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task delete_puts_the_market_back_on_the_shipped_default()
    {
        var shipped = await _app.GetCalendarAsync("custom", "GB");
        var edited = await _app.SendCalendarAsync(_app.Put("custom", "GB", HolidayKit.WithHoliday(shipped.Document, BonfireNight)));

        var reset = await _app.SendCalendarAsync(_app.Delete("custom", "GB", edited.ETag));
        var after = await _app.GetCalendarAsync("custom", "GB");

        Assert.Equal((StoreCalendars.Default, shipped.ETag), (reset.Source, reset.ETag));
        Assert.Equal((StoreCalendars.Default, shipped.ETag), (after.Source, after.ETag));
        Assert.Equal(shipped.Document.ToJsonString(), after.Document.ToJsonString());
        Assert.Equal(StoreCalendars.Default, (await _app.SendCalendarAsync(_app.Delete("custom", "GB"))).Source);
    }

    [Fact]
    public async Task a_market_nothing_ships_for_can_be_given_a_calendar()
    {
        var nl = await _app.GetCalendarAsync("woo", "NL");
        Assert.Equal(StoreCalendars.None, nl.Source);

        var saved = await _app.SendCalendarAsync(_app.Put("woo", "NL", HolidayKit.WithHoliday(nl.Document,
            """{"id": "sinterklaas", "name": "Sinterklaas", "names": {"nl": "Sinterklaasavond"}, "rule": {"kind": "fixed", "month": 12, "day": 5}}"""), nl.ETag));

        Assert.Equal(StoreCalendars.Edited, saved.Source);
        var answer = await _app.OkAsync(_app.Keyed(HttpMethod.Get, "/api/holidays/woo?from=2026-12-01&to=2026-12-10"));
        Assert.Equal(["2026-12-05 NL sinterklaas"], HolidayKit.Lines(answer));
        Assert.Empty(answer.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task an_invalid_calendar_is_a_400_naming_every_problem_and_nothing_is_stored()
    {
        var gb = await _app.GetCalendarAsync("custom", "GB");
        var document = gb.Document.DeepClone().AsObject();
        document["holidays"]![0]!["rule"]!["month"] = 13;
        document["holidays"]!.AsArray().Add(JsonNode.Parse("""{"id": "x-day", "name": "X", "rule": {"kind": "relative", "holiday": "nothing"}, "colour": "red"}"""));

        var problem = await _app.ProblemAsync(_app.Put("custom", "GB", document.ToJsonString(), gb.ETag), HttpStatusCode.BadRequest,
            "$.holidays[0].rule.month: must be a month from 1 to 12, not the number 13 (in holiday 'new-year')",
            "names 'nothing', which is not a holiday in this calendar", "unknown field 'colour'");

        Assert.Contains("$.holidays[11].colour", HttpKit.ErrorFields(problem));
        Assert.Contains("$.holidays[11].rule.holiday", HttpKit.ErrorFields(problem));
        Assert.Equal((StoreCalendars.Default, gb.ETag), ((await _app.GetCalendarAsync("custom", "GB")).Source, (await _app.GetCalendarAsync("custom", "GB")).ETag));
    }

    [Theory]
    [InlineData("{\"schemaVersion\": 1, \"holidays\": [", "is not valid JSON at line 1")]
    [InlineData("", "the document is empty")]
    [InlineData("[]", "must be a calendar object")]
    [InlineData("{\"schemaVersion\": 1, \"holidays\": [], \"market\": \"GB\"}", "unknown field 'market'")]
    [InlineData("{\"holidays\": []}", "schemaVersion")]
    public async Task a_body_that_is_not_a_calendar_is_a_400_saying_why(string body, string message)
    {
        await _app.ProblemAsync(_app.Put("custom", "GB", body), HttpStatusCode.BadRequest, message);

        Assert.Equal(StoreCalendars.Default, (await _app.GetCalendarAsync("custom", "GB")).Source);
    }

    [Fact]
    public async Task bytes_that_are_not_utf8_and_oversized_bodies_are_refused()
    {
        var notText = _app.Keyed(HttpMethod.Put, "/api/holidays/custom/markets/GB");
        notText.Content = new ByteArrayContent([0x7B, 0xFF, 0xFE, 0x7D]);
        await _app.ProblemAsync(notText, HttpStatusCode.BadRequest, "not valid UTF-8");

        var huge = "{\"schemaVersion\": 1, \"holidays\": [], \"pad\": \"" + new string('x', HolidayEndpoints.MaxCalendarBytes) + "\"}";
        await _app.ProblemAsync(_app.Put("custom", "GB", huge), HttpStatusCode.RequestEntityTooLarge, "256 KiB");
        var chunked = _app.Keyed(HttpMethod.Put, "/api/holidays/custom/markets/GB");
        chunked.Content = new ChunkedContent(Encoding.UTF8.GetBytes(huge));
        await _app.ProblemAsync(chunked, HttpStatusCode.RequestEntityTooLarge, "256 KiB");
        Assert.Equal(StoreCalendars.Default, (await _app.GetCalendarAsync("custom", "GB")).Source);
    }

    [Fact]
    public async Task a_malformed_if_match_is_a_400()
    {
        await _app.ProblemAsync(_app.Put("custom", "GB", """{"schemaVersion": 1, "holidays": []}""", "abc"), HttpStatusCode.BadRequest, "If-Match", "quotes included");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task unknown_stores_and_markets_are_404_and_a_bad_code_is_400(string method)
    {
        HttpRequestMessage Request(string path) => _app.Keyed(new HttpMethod(method), path, method == "PUT" ? """{"schemaVersion": 1, "holidays": []}""" : null);

        await _app.ProblemAsync(Request("/api/holidays/nowhere/markets/GB"), HttpStatusCode.NotFound, "No store 'nowhere'");
        await _app.ProblemAsync(Request("/api/holidays/custom/markets/FR"), HttpStatusCode.NotFound, "does not sell in FR", "GB, DE");
        await _app.ProblemAsync(Request("/api/holidays/custom/markets/GBR"), HttpStatusCode.BadRequest, "'GBR' is not a market code");
        Assert.Equal(StoreCalendars.Default, (await _app.GetCalendarAsync("custom", "GB")).Source);
    }

    [Theory]
    [InlineData("GET", "/api/holidays/custom/markets/GB")]
    [InlineData("PUT", "/api/holidays/custom/markets/GB")]
    [InlineData("DELETE", "/api/holidays/custom/markets/GB")]
    public async Task the_api_key_is_required(string method, string path)
    {
        var (status, _) = await _app.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
