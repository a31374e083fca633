using System.Diagnostics;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Bench;

internal sealed record ReducerResult(string Case, long Decisions, TimeSpan Elapsed, double BytesPerDecision)
{
    public double PerSecond => Decisions / Elapsed.TotalSeconds;
    public double MicrosecondsEach => Elapsed.TotalMicroseconds / Decisions;
}

/// <summary>
/// <see cref="ProfileReducer.Apply"/> alone, in memory, on a profile that already holds 50 orders:
/// a Stopwatch loop after a warm-up (BenchmarkDotNet would need a new central package version),
/// with allocations from <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
internal static class ReducerBench
{
    private static readonly StoreSettings Store = new("bench-shop", "America/Toronto", Currency: "CAD");
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 15, 0, 0, TimeSpan.Zero);
    private const string CustomerKey = "id:7340032000000000003";

    public static IReadOnlyList<ReducerResult> Run(TimeSpan perCase, CancellationToken ct)
    {
        var profile = Enumerable.Range(0, 50).Aggregate((CustomerProfile?)null,
            (p, i) => ProfileReducer.Apply(p, Placed(i), Store, Start.AddDays(i)).Profile)!;
        var now = Start.AddDays(60);
        return
        [
            Measure("order.placed, a new order (the 51st)", profile, Placed(50), now, perCase, ct),
            Measure("order.paid, an order the profile holds", profile, Placed(25) with { Id = "evt-paid", Type = EventTypes.OrderPaid }, now, perCase, ct),
        ];
    }

    private static ReducerResult Measure(string name, CustomerProfile profile, CustomerEvent e, DateTimeOffset now, TimeSpan duration, CancellationToken ct)
    {
        var expected = ProfileReducer.Apply(profile, e, Store, now).Profile.OrderCount;
        RunFor(TimeSpan.FromMilliseconds(500), profile, e, now, expected, ct); // warm-up: tiered JIT settles
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var (decisions, elapsed) = RunFor(duration, profile, e, now, expected, ct);
        bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
        return new ReducerResult(name, decisions, elapsed, (double)bytes / decisions);
    }

    private static (long Decisions, TimeSpan Elapsed) RunFor(TimeSpan duration, CustomerProfile profile, CustomerEvent e, DateTimeOffset now, int expected, CancellationToken ct)
    {
        const int Chunk = 1000;
        var decisions = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            ct.ThrowIfCancellationRequested();
            for (var i = 0; i < Chunk; i++)
            {
                // Checking the result keeps the call from being optimised away and proves it decided.
                if (ProfileReducer.Apply(profile, e, Store, now).Profile.OrderCount != expected)
                    throw new InvalidOperationException("The reducer decided differently on the same input.");
            }
            decisions += Chunk;
        }
        return (decisions, clock.Elapsed);
    }

    private static CustomerEvent Placed(int n)
    {
        var at = Start.AddDays(n);
        var customer = new CustomerFacts("7340032000000000003", "customer3@example.com", "Ann", "Smith", "en-CA", "CA",
            Consent: new ConsentFacts("subscribed", "shopify:orders/create", Start));
        var order = new OrderFacts($"{5961433645200000000 + n}", 20m + n, "CAD", ["WELCOME10"],
            Lines: [new OrderLine("9007199254740993", "IPod Nano - 8GB", null, 1, 199m), new OrderLine("632910392", "Case", null, 2, 99.5m)]);
        return new CustomerEvent($"shopify:evt-{n}", Store.StoreId, CustomerKey, EventTypes.OrderPlaced, at, at, "shopify", customer, order);
    }
}
