using System.Net;
using Automation.Functions.Reports;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Reports;

/// <summary>Journey counters in Table Storage and <c>GET /api/reports/{storeId}/journeys/{journeyId}</c>.</summary>
public sealed class JourneyReportTests : IAsyncLifetime
{
    private const string Journey = "first-order-follow-up";
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public Task DisposeAsync() => _app.DisposeAsync().AsTask();

    [Fact]
    public async Task concurrent_increments_are_all_counted()
    {
        var stats = _app.Get<JourneyStats>();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => stats.IncrementAsync("shop", Journey, "thank-you", JourneyMetrics.Open)));

        Assert.Equal(40, (await stats.ReadAsync("shop", Journey, default))["thank-you"][JourneyMetrics.Open].Count);
    }

    [Fact]
    public async Task the_report_shows_each_step_in_journey_order_and_the_totals()
    {
        var stats = _app.Get<JourneyStats>();
        await stats.IncrementAsync("shop", Journey, "thank-you", JourneyMetrics.Sent, 3);
        await stats.IncrementAsync("shop", Journey, "thank-you", JourneyMetrics.Delivered, 2);
        await stats.IncrementAsync("shop", Journey, "second-nudge", JourneyMetrics.Sent);
        await stats.IncrementAsync("shop", Journey, null, JourneyMetrics.Revenue, 1, 40.5m);
        await stats.IncrementAsync("shop", Journey, null, JourneyMetrics.Revenue, 1, 9.5m);
        await stats.IncrementAsync("woo", Journey, "thank-you", JourneyMetrics.Sent, 100);

        var report = await _app.OkAsync(_app.Keyed(HttpMethod.Get, $"/api/reports/shop/journeys/{Journey}"));

        Assert.Equal("First-order follow-up", report.Text("name"));
        var steps = report.GetProperty("steps").EnumerateArray().ToDictionary(s => s.Text("step"));
        Assert.Equal(3, steps["thank-you"].GetProperty("metrics").GetProperty("sent").GetInt64());
        Assert.Equal(2, steps["thank-you"].GetProperty("metrics").GetProperty("delivered").GetInt64());
        Assert.Equal(50m, steps[JourneyStats.JourneyLevel].GetProperty("amounts").GetProperty("revenue").GetDecimal());
        var totals = report.GetProperty("totals");
        Assert.Equal(4, totals.GetProperty("metrics").GetProperty("sent").GetInt64());
        Assert.Equal(2, totals.GetProperty("metrics").GetProperty("revenue").GetInt64());
        Assert.Equal(50m, totals.GetProperty("amounts").GetProperty("revenue").GetDecimal());
    }

    [Fact]
    public async Task unknown_stores_and_journeys_are_404()
    {
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Get, $"/api/reports/nowhere/journeys/{Journey}"), HttpStatusCode.NotFound, "nowhere");
        await _app.ProblemAsync(_app.Keyed(HttpMethod.Get, "/api/reports/shop/journeys/no-such-journey"), HttpStatusCode.NotFound, "no-such-journey");
    }

    [Fact]
    public async Task a_journey_with_no_activity_yet_reports_zeroes()
    {
        var report = await _app.OkAsync(_app.Keyed(HttpMethod.Get, $"/api/reports/shop/journeys/{Journey}"));
        Assert.Equal(0, report.GetProperty("steps").GetArrayLength());
        Assert.Equal(0, report.GetProperty("groups").GetArrayLength()); // no split: the totals are the whole story
        Assert.False(report.TryGetProperty("comparison", out _));
    }
}
