using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Bench;

/// <summary>
/// <see cref="ProfileReducer.Apply"/> alone, in memory, on a profile that already holds 50 orders,
/// timed by <see cref="DecisionLoop"/>.
/// </summary>
internal static class ReducerBench
{
    private static readonly StoreSettings Store = new("bench-shop", "America/Toronto", Currency: "CAD");
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 15, 0, 0, TimeSpan.Zero);
    private const string CustomerKey = "id:7340032000000000003";

    public static IReadOnlyList<DecisionResult> Run(TimeSpan perCase, CancellationToken ct)
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

    private static DecisionResult Measure(string name, CustomerProfile profile, CustomerEvent e, DateTimeOffset now, TimeSpan duration, CancellationToken ct)
    {
        var expected = ProfileReducer.Apply(profile, e, Store, now).Profile.OrderCount;
        return DecisionLoop.Measure(name, () => ProfileReducer.Apply(profile, e, Store, now).Profile.OrderCount == expected, duration, ct);
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
