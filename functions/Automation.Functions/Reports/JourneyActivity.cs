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
/// the two loses a count (the runs' own history rows stay the record). Split groups are counted too: a
/// member when the split assigns the run, a conversion in the group it carries (<see cref="JourneyMetrics.GroupMember"/>).
/// One decision at a time goes through <see cref="RecordAsync(string, JourneyStates, JourneyDecision?, CancellationToken)"/>;
/// a batch of them (a broadcast) through a <see cref="Tally"/>.
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
            {
                if (Outcomes.TryGetValue(entry.Outcome, out var metric)) facts.Add(new(run.JourneyId, entry.Step, metric));
                else if (entry.Outcome == SplitOutcome && GroupAssigned(run, entry) is { } group)
                    facts.Add(new(run.JourneyId, entry.Step, JourneyMetrics.GroupMember(group)));
            }
            if (run is { Status: InstanceStatus.Converted, Conversion: { } conversion } && old?.Status != InstanceStatus.Converted)
            {
                // One counter carries both: how many conversions, and their revenue as its amount (one row update, not two).
                facts.Add(new(run.JourneyId, JourneyStats.JourneyLevel, JourneyMetrics.Conversion, conversion.Revenue));
                if (conversion.Group is { } converted)
                    facts.Add(new(run.JourneyId, JourneyStats.JourneyLevel, JourneyMetrics.GroupConversion(converted), conversion.Revenue));
            }
        }
        return facts;
    }

    // The outcome StepRunner.Split notes when it assigns a group.
    private const string SplitOutcome = "split";

    /// <summary>
    /// The group a split entry assigned: the run keeps the group of its latest split. An earlier split in
    /// the same decision (two splits with no wait between them) was overwritten there, so its group is read
    /// from the entry's words ("path {id}", or "holdout: …"); words it does not recognise count nothing.
    /// </summary>
    private static string? GroupAssigned(JourneyInstance run, HistoryEntry entry)
    {
        if (entry == run.History.FindLast(e => e.Outcome == SplitOutcome)) return run.Group;
        if (entry.Detail is not { } detail) return null;
        if (detail.StartsWith(InstanceStatus.HoldoutGroup, StringComparison.Ordinal)) return InstanceStatus.HoldoutGroup;
        return detail.StartsWith("path ", StringComparison.Ordinal) && detail.Length > 5 ? detail[5..] : null;
    }

    private static IEnumerable<HistoryEntry> NewEntries(JourneyInstance? old, JourneyInstance now)
    {
        if (old is null || old.History.Count == 0) return now.History;
        var last = old.History[^1];
        var at = now.History.FindLastIndex(e => e == last);
        return at >= 0 ? now.History.Skip(at + 1) : now.History.Where(e => e.At > last.At);
    }

    /// <summary>An empty tally for a batch of decisions of one store, flushed with one increment per counter.</summary>
    public ActivityTally Tally() => new(stats, log);

    /// <summary>Counts one committed decision (a tally of one: facts of the same counter are still one increment).</summary>
    public Task RecordAsync(string storeId, JourneyStates before, JourneyDecision? decision, CancellationToken ct)
    {
        if (decision is not { Changed: true }) return Task.CompletedTask;
        var tally = Tally();
        tally.Add(before, decision);
        return tally.FlushAsync(storeId, ct);
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
            Log.ReportCountLost(log, 1, storeId, journeyId, stepId, metric, ex.Status);
        }
    }
}
