using Automation.Core.Journeys.Engine;
using Automation.Functions.Coupons;

namespace Automation.Functions.Reports;

/// <summary>One thing a decision did, to be counted: a metric of a journey's step (or of the journey, <see cref="JourneyStats.JourneyLevel"/>).</summary>
public sealed record ActivityFact(string JourneyId, string StepId, string Metric, decimal? Amount = null);

/// <summary>
/// Feeds the report counters from what each committed decision wrote in its runs' histories: emails
/// sent, failed, withheld, skipped or deferred at each step, and conversions with their revenue. Coupon
/// redemptions arrive separately (<see cref="ICouponRedemptionReport"/>), at the step that issued the
/// coupon, even after its run ended. Counted after the commit, once per committed event; a crash between
/// the two loses a count (the runs' own history rows stay the record).
/// </summary>
public sealed class JourneyActivity(JourneyStats stats, ILogger<JourneyActivity> log) : ICouponRedemptionReport
{
    private static readonly IReadOnlyDictionary<string, string> Outcomes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["emailSent"] = JourneyMetrics.Sent,
        ["emailFailed"] = JourneyMetrics.Failed,
        ["withheld"] = JourneyMetrics.Skipped,
        ["skipped"] = JourneyMetrics.Skipped,
        ["deferred"] = JourneyMetrics.Deferred,
    };

    /// <summary>What the decision added, compared with the states it was made from.</summary>
    public static IReadOnlyList<ActivityFact> Facts(JourneyStates before, JourneyDecision decision)
    {
        var facts = new List<ActivityFact>();
        var runs = decision.Ended.Concat(decision.States.Instances.Values.Where(i => i.IsActive));
        foreach (var run in runs)
        {
            var old = before.Instances.GetValueOrDefault(run.JourneyId) is { } b && b.Run == run.Run ? b : null;
            foreach (var entry in NewEntries(old, run))
                if (Outcomes.TryGetValue(entry.Outcome, out var metric)) facts.Add(new(run.JourneyId, entry.Step, metric));
            if (run is { Status: InstanceStatus.Converted, Conversion: { } conversion } && old?.Status != InstanceStatus.Converted)
            {
                // One counter carries both: how many conversions, and their revenue as its amount (one row update, not two).
                facts.Add(new(run.JourneyId, JourneyStats.JourneyLevel, JourneyMetrics.Conversion, conversion.Revenue));
            }
        }
        return facts;
    }

    private static IEnumerable<HistoryEntry> NewEntries(JourneyInstance? old, JourneyInstance now)
    {
        if (old is null || old.History.Count == 0) return now.History;
        var last = old.History[^1];
        var at = now.History.FindLastIndex(e => e == last);
        return at >= 0 ? now.History.Skip(at + 1) : now.History.Where(e => e.At > last.At);
    }

    public async Task RecordAsync(string storeId, JourneyStates before, JourneyDecision? decision, CancellationToken ct)
    {
        if (decision is not { Changed: true }) return;
        foreach (var fact in Facts(before, decision))
            await CountAsync(storeId, fact.JourneyId, fact.StepId, fact.Metric, fact.Amount, ct);
    }

    public Task RecordAsync(CouponRecord redeemed, CancellationToken ct) =>
        CountAsync(redeemed.StoreId, redeemed.JourneyId, redeemed.StepId, JourneyMetrics.CouponRedeemed, redeemed.RedeemedRevenue, ct);

    // Counters are a report, not the record: a storage hiccup here must not fail (and redeliver) the event.
    private async Task CountAsync(string storeId, string journeyId, string stepId, string metric, decimal? amount, CancellationToken ct)
    {
        try
        {
            await stats.IncrementAsync(storeId, journeyId, stepId, metric, 1, amount, ct);
        }
        catch (Azure.RequestFailedException ex)
        {
            Log.ReportCountLost(log, storeId, journeyId, metric, ex.Status);
        }
    }
}
