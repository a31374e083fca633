using Automation.Functions.Journeys;

namespace Automation.Bench;

/// <summary>Everything the journey figures measured in one run.</summary>
internal sealed record JourneyResult(
    int Customers, IReadOnlyList<JourneyPhase> Phases, IReadOnlyList<StateSnapshot> Snapshots, IReadOnlyList<DecisionResult> Engine);

/// <summary>
/// Stage-2 figures: customers taken through the three shipped journeys on the real app and Azurite
/// (storefront events, then every timer as it falls due over 38 virtual days), the state they leave
/// in their profile rows, and the pure engine decision alone.
/// </summary>
internal static class JourneyBench
{
    /// <summary>When the second orders come: after the follow-up's coupon email and the survey's reminder, with three instances active.</summary>
    private static readonly TimeSpan SecondOrdersAt = TimeSpan.FromDays(7);

    /// <summary>Far enough for the restarted dormancy win-back's 30-day coupon (day 37) and its outbox check.</summary>
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(38);

    private const int WarmUpCustomers = 50;

    public static async Task<JourneyResult> RunAsync(BenchHost host, AzuriteProcess azurite, StorageCalls calls, LogCounter logs,
        int customers, int concurrency, int parallelism, TimeSpan perCase, CancellationToken ct)
    {
        var library = ShippedJourneys.Library();
        var installed = await host.Get<JourneyStore>().LibraryAsync(ct);
        if (installed.All.Count != library.All.Count)
            throw new InvalidOperationException($"The app installed {installed.All.Count} of the {library.All.Count} shipped journeys.");
        var phases = new JourneyPhases(host, new IngestionPhases(host, azurite, calls, logs), logs, concurrency, parallelism);

        // Warm-up on customers of their own, through every step to the end of their journeys (day 187
        // tags them dormant), so JIT, pools and caches are settled and no timer of theirs is left.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Console.Error.WriteLine($"Journeys warm-up: {WarmUpCustomers} customers over 200 virtual days…");
        await RunCustomersAsync(host, phases, new JourneyTraffic(host, WarmUpCustomers, 30_000_000, 30_000_000), TimeSpan.FromDays(200), null, ct);
        if (await phases.NextDueAsync(phases.Now.AddYears(2), ct) is { } left)
            throw new InvalidOperationException($"The warm-up left a timer due at {left:O}.");
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        // Every run starts at 12:00 UTC (07:00 or 08:00 in the store's Toronto), so the waits until
        // 10:00 local fall on the same days and the same timers fall due together in every run.
        var noon = new DateTimeOffset(phases.Now.UtcDateTime.Date, TimeSpan.Zero).AddHours(12);
        phases.MoveTo(noon > phases.Now.AddHours(1) ? noon : noon.AddDays(1));

        Console.Error.WriteLine($"Journeys ({clock.Elapsed.TotalSeconds:0} s): {customers} customers over {Horizon.TotalDays} virtual days…");
        var snapshots = new List<StateSnapshot>();
        var measured = await RunCustomersAsync(host, phases, new JourneyTraffic(host, customers, 0, 0), Horizon, snapshots, ct);

        Console.Error.WriteLine($"Journey engine ({clock.Elapsed.TotalSeconds:0} s)…");
        var engine = EngineBench.Run(library, perCase, ct);
        return new JourneyResult(customers, measured, snapshots, engine);
    }

    private static async Task<List<JourneyPhase>> RunCustomersAsync(BenchHost host, JourneyPhases phases, JourneyTraffic traffic, TimeSpan horizon,
        List<StateSnapshot>? snapshots, CancellationToken ct)
    {
        var t0 = phases.Now;
        var list = await phases.FirstEventsAsync(traffic, t0, ct);
        if (snapshots is not null) snapshots.Add(await StateMemory.TakeAsync("day 0, after order, delivery and complaint", host, traffic.Partitions, ct));
        var secondOrders = false;
        while (await phases.NextDueAsync(t0 + horizon, ct) is { } due)
        {
            if (!secondOrders && due >= t0 + SecondOrdersAt)
            {
                phases.MoveTo(t0 + SecondOrdersAt);
                if (snapshots is not null) snapshots.Add(await StateMemory.TakeAsync("day 7, after the follow-up's email and the survey's reminder", host, traffic.Partitions, ct));
                list.Add(await phases.SecondOrdersAsync(traffic, t0, ct));
                secondOrders = true;
                continue;
            }
            list.Add(await phases.WakeAsync(due, t0, ct));
        }
        if (snapshots is not null) snapshots.Add(await StateMemory.TakeAsync("day 38, the end of the run", host, traffic.Partitions, ct));
        return list;
    }
}
