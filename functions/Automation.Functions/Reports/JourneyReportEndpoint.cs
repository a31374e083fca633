using Automation.Functions.Hosting;
using Automation.Functions.Journeys;

namespace Automation.Functions.Reports;

/// <summary>
/// <c>GET /api/reports/{storeId}/journeys/{journeyId}</c>: each step's counters in the journey's step
/// order (steps no longer in the current version follow), the journey's totals, and for a journey with a
/// split each group's members, conversions and revenue with the lift of each path over the holdout
/// (<see cref="GroupComparison"/>). A journey without a split has no groups: its totals say it all.
/// Step rates are left to the reader (which denominator is right depends on the question); a group's
/// rates are per member, the one denominator a split comparison needs.
/// </summary>
public static class JourneyReportEndpoint
{
    public static async Task<IResult> HandleAsync(string storeId, string journeyId, StoreDirectory stores, JourneyStore journeys,
        JourneyStats stats, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out var store)) return Problems.UnknownStore(storeId);
        var record = await journeys.GetAsync(journeyId, ct);
        var counters = await stats.ReadAsync(storeId, journeyId, ct);
        if (record is null && counters.Count == 0)
            return Problems.Status(StatusCodes.Status404NotFound, "Unknown journey", $"No journey '{journeyId}' exists and none has statistics.");

        // Per-group counters have their own section; the steps and totals keep the metrics they always had.
        var plain = counters
            .Select(s => (Step: s.Key, Metrics: s.Value.Where(kv => !JourneyMetrics.IsPerGroup(kv.Key)).ToDictionary(StringComparer.Ordinal)))
            .Where(s => s.Metrics.Count > 0)
            .ToDictionary(s => s.Step, s => (IReadOnlyDictionary<string, StatValue>)s.Metrics, StringComparer.Ordinal);
        var order = (record?.Current?.Steps.Select(s => s.Id) ?? []).ToList();
        var steps = plain.Keys
            .OrderBy(s => order.IndexOf(s) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(s => s, StringComparer.Ordinal)
            .Select(s => new { step = s, metrics = Counts(plain[s]), amounts = Amounts(plain[s]) });
        var all = plain.Values.SelectMany(m => m).GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new StatValue(g.Sum(kv => kv.Value.Count), g.Sum(kv => kv.Value.Amount)), StringComparer.Ordinal);
        var groups = GroupComparison.Groups(counters, record?.Current);
        return Results.Ok(new
        {
            store = storeId,
            journey = journeyId,
            name = record?.Current?.Name,
            currency = store.Currency,
            steps,
            totals = new { metrics = Counts(all), amounts = Amounts(all) },
            groups,
            comparison = GroupComparison.Compare(groups, store.Currency),
        });
    }

    private static SortedDictionary<string, long> Counts(IReadOnlyDictionary<string, StatValue> m) =>
        new(m.ToDictionary(kv => kv.Key, kv => kv.Value.Count), StringComparer.Ordinal);

    private static SortedDictionary<string, decimal> Amounts(IReadOnlyDictionary<string, StatValue> m) =>
        new(m.Where(kv => kv.Value.Amount != 0m).ToDictionary(kv => kv.Key, kv => kv.Value.Amount), StringComparer.Ordinal);
}
