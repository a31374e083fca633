using Automation.Core.Journeys.Engine;

namespace Automation.Functions.Reports;

/// <summary>
/// The facts of many committed decisions of one store, summed per (journey, step, metric) and written
/// with one <see cref="JourneyStats.IncrementAsync"/> per counter. A broadcast commits decisions for up to
/// 1,000 customers at a time: one increment per fact would cost a read and a write under ETag each, all
/// on the same few rows. Add from any thread; flush once the decisions are committed. Made by
/// <see cref="JourneyActivity.Tally"/>.
/// </summary>
public sealed class ActivityTally
{
    private readonly JourneyStats _stats;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private Dictionary<(string JourneyId, string StepId, string Metric), (long Count, decimal Amount)> _sums = [];

    internal ActivityTally(JourneyStats stats, ILogger log)
    {
        _stats = stats;
        _log = log;
    }

    /// <summary>Adds what a committed decision did (<see cref="JourneyActivity.Facts"/>); nothing for no decision or one that changed nothing.</summary>
    public void Add(JourneyStates before, JourneyDecision? decision)
    {
        if (decision is not { Changed: true }) return;
        Add(JourneyActivity.Facts(before, decision));
    }

    /// <summary>Adds facts counted elsewhere (each is one, with its amount).</summary>
    public void Add(IEnumerable<ActivityFact> facts)
    {
        var list = facts as IReadOnlyCollection<ActivityFact> ?? [.. facts];
        if (list.Count == 0) return;
        lock (_gate)
        {
            foreach (var f in list)
            {
                var key = (f.JourneyId, f.StepId, f.Metric);
                var (count, amount) = _sums.GetValueOrDefault(key);
                _sums[key] = (count + 1, amount + (f.Amount ?? 0m));
            }
        }
    }

    /// <summary>The counters waiting for the next flush, with their sums.</summary>
    public IReadOnlyDictionary<(string JourneyId, string StepId, string Metric), (long Count, decimal Amount)> Pending
    {
        get
        {
            lock (_gate) return new Dictionary<(string, string, string), (long, decimal)>(_sums);
        }
    }

    /// <summary>
    /// Writes every counter added so far, one increment each, and starts empty again, so a second flush
    /// adds only what was added since. Counters are a report, not the record: a counter storage refuses is
    /// logged (event 9000, with how many it held) and dropped, not thrown, and not kept for the next
    /// flush (storage may have applied a write it answered with an error; a count is better lost than doubled).
    /// A cancelled flush throws, and the counters it had not written yet are lost the same way.
    /// </summary>
    public async Task FlushAsync(string storeId, CancellationToken ct)
    {
        Dictionary<(string JourneyId, string StepId, string Metric), (long Count, decimal Amount)> taken;
        lock (_gate)
        {
            if (_sums.Count == 0) return;
            taken = _sums;
            _sums = [];
        }
        foreach (var ((journeyId, stepId, metric), (count, amount)) in taken)
        {
            try
            {
                await _stats.IncrementAsync(storeId, journeyId, stepId, metric, count, amount, ct);
            }
            catch (Azure.RequestFailedException ex)
            {
                Log.ReportCountLost(_log, count, storeId, journeyId, stepId, metric, ex.Status);
            }
        }
    }
}
