using System.Diagnostics;
using Automation.Core.Events;
using Automation.Functions.Dev;
using Automation.Functions.Journeys;
using Automation.Functions.Storage;

namespace Automation.Bench;

/// <summary>
/// What a journey phase was: storefront events drained, timers that woke instances, outbox checks
/// that found nothing left, or housekeeping (old processed-event markers deleted).
/// </summary>
internal enum PhaseKind { Storefront, WakeUps, OutboxChecks, Housekeeping }

/// <summary>One timed phase of the journey run, with what the app's logs say it did.</summary>
/// <param name="At">Virtual time since the run's first order.</param>
/// <param name="Units">What the figures are per: storefront events, wake-ups, or outbox checks.</param>
/// <param name="Detail">What the phase's events do to the journeys, for storefront phases.</param>
internal sealed record JourneyPhase(
    string Name, string? Detail, PhaseKind Kind, TimeSpan At, int Units, long Events, long WakeUps, long Stale, long Coupons, long Emails, long Actions,
    int TimersSwept, TimeSpan Elapsed, StorageOps Storage, CpuUse Cpu, long Conflicts)
{
    public double Per(long count) => (double)count / Units;
}

/// <summary>
/// Drives customers through the shipped journeys on the real app: storefront events posted and
/// drained, then the app's virtual clock moved from one cluster of due timers to the next, each
/// time sweeping (<see cref="TimerSweeper.SweepAsync"/>) and draining until nothing is due, which
/// is what the minute timer trigger and the queue trigger do in Azure. Coupons are issued and emails
/// sent through the outbox by the app's local coupon issuer and capturing email sender.
/// </summary>
internal sealed class JourneyPhases(BenchHost host, IngestionPhases ingestion, LogCounter logs, int concurrency, int parallelism)
{
    /// <summary>Timers armed by one phase are due within seconds of one another; this takes them all, and nothing of the next cluster (hours away).</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(15);

    private readonly VirtualClock _clock = host.Get<VirtualClock>();
    private readonly TimerSweeper _sweeper = host.Get<TimerSweeper>();
    private readonly TimerTable _timers = host.Get<TimerTable>();
    private readonly CustomerTable _customers = host.Get<CustomerTable>();

    public DateTimeOffset Now => _clock.GetUtcNow();

    public void MoveTo(DateTimeOffset at) => _clock.MoveTo(at);

    /// <summary>First orders, deliveries and closed complaints, each posted then drained (the drain is timed).</summary>
    public async Task<List<JourneyPhase>> FirstEventsAsync(JourneyTraffic traffic, DateTimeOffset t0, CancellationToken ct) =>
    [
        await StorefrontAsync("first order.placed", "Shopify, a new customer: enters the follow-up and the dormancy win-back",
            traffic.Orders(Now, second: false), t0, ct),
        await StorefrontAsync("order.delivered", "Shopify, names only the order: the follow-up's wait for it ends",
            traffic.Deliveries(Now), t0, ct),
        await StorefrontAsync("complaint.closed", "events API: enters the survey",
            traffic.Count, i => traffic.ComplaintClosed(i, Now), t0, ct),
    ];

    public Task<JourneyPhase> SecondOrdersAsync(JourneyTraffic traffic, DateTimeOffset t0, CancellationToken ct) =>
        StorefrontAsync("second order.placed", "day 7, 3 active: both order journeys convert, the dormancy win-back restarts",
            traffic.Orders(Now, second: true), t0, ct);

    /// <summary>The earliest timer due before <paramref name="horizon"/>, if any.</summary>
    public Task<DateTimeOffset?> NextDueAsync(DateTimeOffset horizon, CancellationToken ct) => _timers.EarliestDueAsync(horizon, ct);

    /// <summary>Moves the clock past the next cluster of due timers and handles them, and whatever they cause, until nothing is due.</summary>
    public async Task<JourneyPhase> WakeAsync(DateTimeOffset due, DateTimeOffset t0, CancellationToken ct)
    {
        MoveTo(due + Margin);
        var (name, housekeeping) = await DescribeDueAsync(ct);

        ingestion.Reset();
        var clock = Stopwatch.StartNew();
        var swept = 0;
        var drained = 0;
        while (true)
        {
            var s = await _sweeper.SweepAsync(ct);
            var d = await host.Consumer.DrainAsync(ct, parallelism);
            (swept, drained) = (swept + s, drained + d);
            if (s == 0 && d == 0) break;
        }
        clock.Stop();
        CheckNoFailures(name);
        var wakeUps = logs[LogCounter.Applied, "Type", EventTypes.JourneyWakeUp];
        if (drained != wakeUps) throw new InvalidOperationException($"{name}: drained {drained} messages but applied {wakeUps} wake-ups.");
        var kind = wakeUps > 0 ? PhaseKind.WakeUps : housekeeping ? PhaseKind.Housekeeping : PhaseKind.OutboxChecks;
        return Phase(name, null, kind, Now - t0, kind == PhaseKind.WakeUps ? (int)wakeUps : swept, swept, clock.Elapsed);
    }

    /// <summary>
    /// What is due, read before the phase (and its counters) start: the journeys and, from one
    /// customer of each, the step whose timer it is (or that its token is stale); and whether
    /// only housekeeping timers are due.
    /// </summary>
    private async Task<(string Name, bool Housekeeping)> DescribeDueAsync(CancellationToken ct)
    {
        var parts = new List<string>();
        var due = await _timers.DueAsync(Now, 100_000, ct);
        foreach (var group in due.GroupBy(t => (t.Kind, t.JourneyId)).OrderBy(g => g.Key.JourneyId, StringComparer.Ordinal))
        {
            if (group.Key.Kind != TimerTable.Wake)
            {
                parts.Add($"{(group.Key.Kind == TimerTable.Outbox ? "outbox check" : group.Key.Kind)} ×{group.Count()}");
                continue;
            }
            var first = group.First();
            var state = await _customers.ReadStateAsync(Core.Customers.CustomerKey.Partition(first.StoreId, first.CustomerKey), ct);
            var step = state.Journeys.Instances.GetValueOrDefault(first.JourneyId) is { IsActive: true } i && i.Token == first.Token ? i.StepId : "stale token";
            parts.Add($"{first.JourneyId} `{step}` ×{group.Count()}");
        }
        return (string.Join(", ", parts), due.Count > 0 && due.All(t => t.Kind == TimerTable.Housekeep));
    }

    private Task<JourneyPhase> StorefrontAsync(string name, string detail, Delivery[] deliveries, DateTimeOffset t0, CancellationToken ct) =>
        StorefrontAsync(name, detail, deliveries.Length, i => ShopifyDeliveries.Request(deliveries[i]), t0, ct);

    private async Task<JourneyPhase> StorefrontAsync(string name, string detail, int count, Func<int, HttpRequestMessage> request, DateTimeOffset t0, CancellationToken ct)
    {
        await ingestion.PostAsync(name, count, request, concurrency, ct);
        ingestion.Reset();
        var clock = Stopwatch.StartNew();
        var drained = await host.Consumer.DrainAsync(ct, parallelism);
        clock.Stop();
        CheckNoFailures(name);
        if (drained != count) throw new InvalidOperationException($"{name}: drained {drained} of {count} events.");
        return Phase(name, detail, PhaseKind.Storefront, Now - t0, count, swept: 0, clock.Elapsed);
    }

    private JourneyPhase Phase(string name, string? detail, PhaseKind kind, TimeSpan at, int units, int swept, TimeSpan elapsed) => new(
        name, detail, kind, at, units,
        Events: logs[LogCounter.Applied],
        WakeUps: logs[LogCounter.Applied, "Type", EventTypes.JourneyWakeUp],
        Stale: logs[LogCounter.Applied, "Outcome", LogCounter.NothingActed],
        Coupons: logs[LogCounter.ActionDispatched, "Kind", "issueCoupon"],
        // Emails the sender accepted (a refused or failed one is dispatched too, as email.failed).
        Emails: logs[LogCounter.ActionDispatched, "Outcome", "email.sent"],
        Actions: logs[LogCounter.ActionDispatched],
        TimersSwept: swept,
        Elapsed: elapsed,
        Storage: ingestion.Storage(),
        Cpu: ingestion.Cpu(elapsed),
        Conflicts: logs[LogCounter.Conflict]);

    private void CheckNoFailures(string name)
    {
        var failed = logs[LogCounter.MessageFailed] + logs[LogCounter.MessageParked] + logs[LogCounter.ActionRetry];
        if (failed > 0) throw new InvalidOperationException($"{name}: {failed} messages or actions failed, were parked or retried.");
    }
}
