using System.Text.Json;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Reports;
using Automation.Functions.Tests.Http;
using Automation.Functions.Tests.JourneyRuntime;

namespace Automation.Functions.Tests.Reports;

/// <summary>A journey with a holdout split, driven through real events: the report's groups and the lift over the holdout.</summary>
public sealed class SplitGroupReportTests : IAsyncLifetime
{
    public const string OfferTest = """
        {
          "schemaVersion": 1, "id": "offer-test", "name": "Offer test",
          "trigger": { "event": "order.placed" },
          "reentry": { "mode": "once" },
          "goals": [ { "id": "second", "event": "order.placed" } ],
          "steps": [
            { "id": "ab", "type": "split", "paths": [ { "id": "thank", "weight": 1, "next": "email" } ], "holdout": { "weight": 1 } },
            { "id": "email", "type": "sendEmail", "template": "first-order-thank-you", "next": "linger" },
            { "id": "linger", "type": "wait", "duration": "P10D", "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """;

    private RuntimeKit _kit = null!;
    private DateTimeOffset T0 => _kit.App.Clock.GetUtcNow();

    public async Task InitializeAsync()
    {
        _kit = await RuntimeKit.StartAsync();
        await _kit.InstallAsync(OfferTest);
    }

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    private static CustomerEvent Order(string id, string customer, decimal total, DateTimeOffset at) =>
        RuntimeKit.Order(id, id, at, customer) with { Order = new OrderFacts(id, total, "GBP") };

    private Task<JsonElement> ReportAsync() => _kit.App.OkAsync(_kit.App.Keyed(HttpMethod.Get, "/api/reports/custom/journeys/offer-test"));

    [Fact]
    public async Task the_report_shows_members_conversions_revenue_and_rates_per_group_and_the_lift_over_the_holdout()
    {
        var customers = Enumerable.Range(1, 12).Select(i => $"id:{i}").ToList();
        foreach (var c in customers) await _kit.PostAsync(Order($"first-{c}", c, 20m, T0));
        var groups = new Dictionary<string, string>();
        foreach (var c in customers) groups[c] = (await _kit.InstanceAsync("offer-test", c))!.Group!;
        var treated = customers.Where(c => groups[c] == "thank").ToList();
        var heldOut = customers.Where(c => groups[c] == InstanceStatus.HoldoutGroup).ToList();
        Assert.True(treated.Count >= 2 && heldOut.Count >= 1, $"{treated.Count} treated, {heldOut.Count} held out: the split is fixed per customer, pick others");
        Assert.Equal(treated.Count, (await _kit.EmailsAsync()).Count); // the holdout receives nothing

        await _kit.AdvanceAsync("P2D");
        await _kit.PostAsync(Order("second-t1", treated[0], 100m, T0));
        await _kit.PostAsync(Order("second-t2", treated[1], 50m, T0));
        await _kit.PostAsync(Order("second-h1", heldOut[0], 30m, T0));
        Assert.Equal(InstanceStatus.HoldoutGroup, (await _kit.InstanceAsync("offer-test", heldOut[0]))!.Conversion!.Group);

        var report = await ReportAsync();

        var byGroup = report.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["thank", "holdout"], byGroup.Select(g => g.Text("group")));
        AssertGroup(byGroup[0], control: false, treated.Count, 2, 150m);
        AssertGroup(byGroup[1], control: true, heldOut.Count, 1, 30m);

        var comparison = report.GetProperty("comparison");
        Assert.Equal("holdout", comparison.Text("against"));
        Assert.Contains("control group", comparison.Text("meaning"), StringComparison.Ordinal);
        var lift = Assert.Single(comparison.GetProperty("lifts").EnumerateArray().ToList());
        Assert.Equal("thank", lift.Text("group"));
        decimal rate = 2m / treated.Count, controlRate = 1m / heldOut.Count, perMember = 150m / treated.Count, controlPerMember = 30m / heldOut.Count;
        Assert.Equal(Math.Round((rate - controlRate) / controlRate, 4), lift.GetProperty("conversionRateLift").GetDecimal());
        Assert.Equal(Math.Round((perMember - controlPerMember) / controlPerMember, 4), lift.GetProperty("revenuePerMemberLift").GetDecimal());
        Assert.Equal(Math.Round(rate - controlRate, 4), lift.GetProperty("conversionRateDifference").GetDecimal());
        Assert.Contains($"of its {treated.Count} members", lift.Text("summary"), StringComparison.Ordinal);

        // The journey's own counters are as before: per-group ones stay in their section.
        var totals = report.GetProperty("totals");
        Assert.Equal(3, totals.GetProperty("metrics").GetProperty(JourneyMetrics.Conversion).GetInt64());
        Assert.Equal(180m, totals.GetProperty("amounts").GetProperty(JourneyMetrics.Conversion).GetDecimal());
        Assert.Equal(treated.Count, totals.GetProperty("metrics").GetProperty(JourneyMetrics.Sent).GetInt64());
        Assert.DoesNotContain(totals.GetProperty("metrics").EnumerateObject(), m => m.Name.StartsWith("group_", StringComparison.Ordinal));
        Assert.DoesNotContain(report.GetProperty("steps").EnumerateArray(), s => s.Text("step") == "ab");
    }

    [Fact]
    public async Task a_member_is_counted_once_however_many_events_its_run_sees()
    {
        await _kit.PostAsync(Order("first", "id:7", 20m, T0));
        await _kit.AdvanceAsync("P11D"); // the wait ends and the run completes: later decisions of the same run
        await _kit.PostAsync(Order("second", "id:7", 20m, T0)); // reentry once: no new run, no conversion

        var groups = (await ReportAsync()).GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(1, groups.Sum(g => g.GetProperty("members").GetInt64()));
        Assert.Equal(0, groups.Sum(g => g.GetProperty("conversions").GetInt64()));
    }

    [Fact]
    public async Task a_split_nobody_has_reached_lists_its_groups_empty_and_compares_nothing()
    {
        var report = await ReportAsync();

        var groups = report.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["thank", "holdout"], groups.Select(g => g.Text("group")));
        Assert.All(groups, g => Assert.Equal(0, g.GetProperty("members").GetInt64()));
        Assert.All(groups, g => Assert.False(g.TryGetProperty("conversionRate", out _)));
        var lift = Assert.Single(report.GetProperty("comparison").GetProperty("lifts").EnumerateArray().ToList());
        Assert.False(lift.TryGetProperty("conversionRateLift", out _));
        Assert.StartsWith("No members", lift.Text("summary"), StringComparison.Ordinal);
    }

    private static void AssertGroup(JsonElement g, bool control, int members, int conversions, decimal revenue)
    {
        Assert.Equal(control, g.GetProperty("control").GetBoolean());
        Assert.Equal(members, g.GetProperty("members").GetInt64());
        Assert.Equal(conversions, g.GetProperty("conversions").GetInt64());
        Assert.Equal(revenue, g.GetProperty("revenue").GetDecimal());
        Assert.Equal(Math.Round((decimal)conversions / members, 4), g.GetProperty("conversionRate").GetDecimal());
        Assert.Equal(Math.Round(revenue / members, 2), g.GetProperty("revenuePerMember").GetDecimal());
    }
}
