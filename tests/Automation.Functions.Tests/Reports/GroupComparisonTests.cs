using Automation.Core.Journeys.Definitions;
using Automation.Functions.Reports;
using Automation.Functions.Tests.JourneyRuntime;

namespace Automation.Functions.Tests.Reports;

/// <summary>The groups and lifts of the report from counters alone: no host, no storage.</summary>
public sealed class GroupComparisonTests
{
    private static readonly JourneyDefinition OfferTest = JourneyReader.Read(SplitGroupReportTests.OfferTest, RuntimeKit.Catalog).Definition!;

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, StatValue>> Counters(params (string Step, string Metric, long Count, decimal Amount)[] rows) =>
        rows.GroupBy(r => r.Step).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<string, StatValue>)g.ToDictionary(r => r.Metric, r => new StatValue(r.Count, r.Amount)));

    [Fact]
    public void a_holdout_without_conversions_gives_no_lift_and_no_division_by_zero_but_the_difference()
    {
        var groups = GroupComparison.Groups(Counters(
            ("ab", JourneyMetrics.GroupMember("thank"), 40, 0m), ("ab", JourneyMetrics.GroupMember("holdout"), 10, 0m),
            ("-", JourneyMetrics.GroupConversion("thank"), 4, 200m)), OfferTest);

        var lift = Assert.Single(GroupComparison.Compare(groups, "GBP")!.Lifts);

        Assert.Equal(0m, groups[1].ConversionRate);
        Assert.Null(lift.ConversionRateLift);
        Assert.Null(lift.RevenuePerMemberLift);
        Assert.Equal(0.1m, lift.ConversionRateDifference);
        Assert.Equal(5m, lift.RevenuePerMemberDifference);
        Assert.Contains("no conversions yet", lift.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void lifts_are_relative_to_the_holdout_and_worded()
    {
        var groups = GroupComparison.Groups(Counters(
            ("ab", JourneyMetrics.GroupMember("thank"), 200, 0m), ("ab", JourneyMetrics.GroupMember("holdout"), 100, 0m),
            ("-", JourneyMetrics.GroupConversion("thank"), 30, 1500m), ("-", JourneyMetrics.GroupConversion("holdout"), 10, 400m)), OfferTest);

        var lift = Assert.Single(GroupComparison.Compare(groups, "GBP")!.Lifts);

        Assert.Equal(new GroupResult("thank", false, 200, 30, 1500m, 0.15m, 7.5m), groups[0]);
        Assert.Equal(new GroupResult("holdout", true, 100, 10, 400m, 0.1m, 4m), groups[1]);
        Assert.Equal(0.5m, lift.ConversionRateLift);
        Assert.Equal(0.875m, lift.RevenuePerMemberLift);
        Assert.Equal("'thank' converted 15% of its 200 members against 10% of the holdout's 100 (+50%); " +
                     "it brought 7.50 GBP per member against 4.00 GBP (+87.5%).", lift.Summary);
    }

    [Fact]
    public void a_journey_that_never_split_has_no_groups_and_no_comparison()
    {
        var groups = GroupComparison.Groups(Counters(("email", JourneyMetrics.Sent, 5, 0m), ("-", JourneyMetrics.Conversion, 1, 10m)), null);

        Assert.Empty(groups);
        Assert.Null(GroupComparison.Compare(groups, "GBP"));
    }

    [Fact]
    public void groups_only_an_older_version_had_follow_the_current_ones_and_the_holdout_comes_last()
    {
        var groups = GroupComparison.Groups(Counters(("old-split", JourneyMetrics.GroupMember("b"), 3, 0m),
            ("old-split", JourneyMetrics.GroupMember("holdout"), 1, 0m)), OfferTest);

        Assert.Equal(["thank", "b", "holdout"], groups.Select(g => g.Group));
        Assert.Equal(4, groups.Sum(g => g.Members));
    }
}
