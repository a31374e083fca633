using System.Globalization;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;

namespace Automation.Functions.Reports;

/// <summary>One split group in the report: who was assigned to it, and what they brought.</summary>
/// <param name="ConversionRate">Conversions per member (0.15 is 15%); null while the group has no members.</param>
/// <param name="RevenuePerMember">Revenue (store currency) per member; null while the group has no members.</param>
public sealed record GroupResult(string Group, bool Control, long Members, long Conversions, decimal Revenue,
    decimal? ConversionRate, decimal? RevenuePerMember);

/// <summary>How a treated group did against the holdout. Lifts are relative (0.5 is 50% more); differences absolute.</summary>
/// <param name="ConversionRateLift">Null when either rate is unknown or the holdout's is 0 (no lift can be computed from nothing).</param>
/// <param name="ConversionRateDifference">Treated rate minus holdout rate (0.05 is 5 percentage points); null when either is unknown.</param>
public sealed record GroupLift(string Group, decimal? ConversionRateLift, decimal? RevenuePerMemberLift,
    decimal? ConversionRateDifference, decimal? RevenuePerMemberDifference, string Summary);

public sealed record Comparison(string Against, string Meaning, IReadOnlyList<GroupLift> Lifts);

/// <summary>
/// The split groups of a journey's report, from its counters: members (<see cref="JourneyMetrics.GroupMember"/>,
/// at the split steps) and conversions with revenue (<see cref="JourneyMetrics.GroupConversion"/>). Pure.
/// </summary>
public static class GroupComparison
{
    public const string Meaning =
        "The holdout is the control group: chosen at random at the split, it receives nothing from this journey, " +
        "and its conversions count all the same. A lift compares a group with it: +50% means that group's members " +
        "converted (or spent) one and a half times as much as the holdout's, so the journey's messages are the likely " +
        "cause of the difference. It is a measurement, not a proof: with few members or few conversions a difference " +
        "can be chance, and runs still under way can convert later. No lift is shown while the holdout has nothing to compare with.";

    /// <summary>
    /// Each group in the order of the current version's splits (paths, then the holdout), then groups only
    /// older versions had; the holdout last. Empty for a journey that has never split anyone and has no split.
    /// </summary>
    public static IReadOnlyList<GroupResult> Groups(IReadOnlyDictionary<string, IReadOnlyDictionary<string, StatValue>> counters,
        JourneyDefinition? current)
    {
        var members = Sum(counters, JourneyMetrics.GroupMemberPrefix);
        var conversions = Sum(counters, JourneyMetrics.GroupConversionPrefix);
        var defined = (current?.Steps ?? []).Where(s => s.Type == StepTypes.Split)
            .SelectMany(s => (s.Paths ?? []).Select(p => p.Id).Concat(s.Holdout is null ? [] : [InstanceStatus.HoldoutGroup]));
        var seen = members.Keys.Concat(conversions.Keys).Order(StringComparer.Ordinal);
        return defined.Concat(seen).Distinct(StringComparer.Ordinal)
            .OrderBy(g => g == InstanceStatus.HoldoutGroup) // stable: keeps the order above, holdout last
            .Select(g => Result(g, members.GetValueOrDefault(g)?.Count ?? 0, conversions.GetValueOrDefault(g) ?? new StatValue(0, 0m)))
            .ToList();
    }

    /// <summary>Every treated group against the holdout; null when there is no holdout.</summary>
    public static Comparison? Compare(IReadOnlyList<GroupResult> groups, string currency)
    {
        if (groups.FirstOrDefault(g => g.Control) is not { } holdout) return null;
        return new Comparison(InstanceStatus.HoldoutGroup, Meaning,
            [.. groups.Where(g => !g.Control).Select(g => Lift(g, holdout, currency))]);
    }

    private static GroupResult Result(string group, long members, StatValue conversions) =>
        new(group, group == InstanceStatus.HoldoutGroup, members, conversions.Count, conversions.Amount,
            Round(PerMember(conversions.Count, members), 4), Round(PerMember(conversions.Amount, members), 2));

    // From the counts, not the rounded rates shown, so small groups' lifts are not off by the rounding.
    private static GroupLift Lift(GroupResult treated, GroupResult holdout, string currency)
    {
        var (rate, controlRate) = (PerMember(treated.Conversions, treated.Members), PerMember(holdout.Conversions, holdout.Members));
        var (revenue, controlRevenue) = (PerMember(treated.Revenue, treated.Members), PerMember(holdout.Revenue, holdout.Members));
        var rateLift = Relative(rate, controlRate);
        var revenueLift = Relative(revenue, controlRevenue);
        return new GroupLift(treated.Group, rateLift, revenueLift,
            Round(rate - controlRate, 4), Round(revenue - controlRevenue, 2),
            Summary(treated, holdout, rateLift, revenueLift, currency));
    }

    private static decimal? PerMember(decimal amount, long members) => members > 0 ? amount / members : null;

    private static decimal? Round(decimal? value, int decimals) => value is { } v ? Math.Round(v, decimals) : null;

    private static decimal? Relative(decimal? treated, decimal? control) =>
        treated is { } t && control is { } c && c != 0m ? Math.Round((t - c) / c, 4) : null;

    private static string Summary(GroupResult treated, GroupResult holdout, decimal? rateLift, decimal? revenueLift, string currency)
    {
        if (treated.Members == 0) return $"No members in '{treated.Group}' yet: nothing to compare.";
        if (holdout.Members == 0) return "No members in the holdout yet: nothing to compare with.";
        var rate = $"'{treated.Group}' converted {Percent(treated.ConversionRate!.Value)} of its {treated.Members} members " +
                   $"against {Percent(holdout.ConversionRate!.Value)} of the holdout's {holdout.Members}";
        var revenue = $"it brought {Money(treated.RevenuePerMember!.Value)} {currency} per member against {Money(holdout.RevenuePerMember!.Value)} {currency}";
        return rateLift is null
            ? $"{rate}; {revenue}. The holdout has no conversions yet, so there is no lift to show."
            : $"{rate} ({Signed(rateLift.Value)}); {revenue} ({(revenueLift is { } r ? Signed(r) : "no revenue in the holdout")}).";
    }

    private static string Percent(decimal rate) => (rate * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Signed(decimal lift) => (lift >= 0 ? "+" : "") + Percent(lift);

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static Dictionary<string, StatValue> Sum(IReadOnlyDictionary<string, IReadOnlyDictionary<string, StatValue>> counters, string prefix)
    {
        var sums = new Dictionary<string, StatValue>(StringComparer.Ordinal);
        foreach (var (metric, value) in counters.Values.SelectMany(m => m))
        {
            if (JourneyMetrics.GroupOf(metric, prefix) is not { } group) continue;
            var before = sums.GetValueOrDefault(group) ?? new StatValue(0, 0m);
            sums[group] = new StatValue(before.Count + value.Count, before.Amount + value.Amount);
        }
        return sums;
    }
}
