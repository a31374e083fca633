using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Bench;

/// <summary>
/// The pure decision for one event with the three shipped journeys published, in memory, timed by
/// <see cref="DecisionLoop"/>: <see cref="CustomerDecision.Decide"/> (profile, then journeys) as the
/// consumer calls it, and <see cref="JourneyEngine.Decide"/> alone where a reducer runs first.
/// The customer is built by the same decisions: a first order (the first-order follow-up and the
/// dormancy win-back start), its delivery a day later (the follow-up moves on to its 3-day wait and
/// its 14-day timeout timer goes stale), then a complaint closed (the survey starts): three active
/// instances, each with its entry, waits and history.
/// </summary>
internal static class EngineBench
{
    private static readonly StoreSettings Store = new("bench-shop", "America/Toronto", Currency: "CAD");
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 14, 0, 0, TimeSpan.Zero);
    private const string ExternalId = "7340032000000000003";
    private const string Key = "id:" + ExternalId;

    public static IReadOnlyList<DecisionResult> Run(JourneyLibrary library, TimeSpan perCase, CancellationToken ct)
    {
        var customer = new Customer(null, JourneyStates.Empty);
        customer = customer.Apply(Order(1, T0), T0, library);
        var staleToken = customer.Instance("first-order-follow-up").Token!;
        customer = customer.Apply(Delivered(1, T0.AddDays(1)), T0.AddDays(1), library);
        customer = customer.Apply(ComplaintClosed(T0.AddDays(1).AddHours(2)), T0.AddDays(1).AddHours(2), library);
        var (profile, states) = (customer.Profile!, customer.States);
        if (states.Instances.Values.Count(i => i.IsActive) != 3)
            throw new InvalidOperationException("The bench customer should have three active journey instances.");

        // (a) A second order: both order journeys reach their goal (converted), the dormancy win-back
        // restarts (a new run and its 30-day timer), the survey is not concerned.
        var second = Order(2, T0.AddDays(2));
        var secondAt = T0.AddDays(2).AddMinutes(1);
        var reduced = ProfileReducer.Apply(profile, second, Store, secondAt).Profile;

        // (b) The dormancy win-back's 30-day timer fires: branch on consent, ask for a 20 % coupon.
        var dormancy = customer.Instance("dormancy-win-back");
        var wake = EngineEvents.WakeUp(Store.StoreId, Key, dormancy.JourneyId, dormancy.Token!, dormancy.WakeAt!.Value, dormancy.WakeAt.Value);
        var woken = CustomerDecision.Decide(profile, states, wake, Store, library, dormancy.WakeAt.Value).Journeys!;

        // (c) The follow-up's 14-day timeout fires after the delivery moved the instance on: its token is stale.
        var staleAt = T0.AddDays(14);
        var stale = EngineEvents.WakeUp(Store.StoreId, Key, "first-order-follow-up", staleToken, staleAt, staleAt);

        // (d) The coupon comes back: the instance sends its email with the code and waits 30 days.
        var couponAction = woken.Actions.Single();
        var issued = EngineEvents.Result(Store.StoreId, Key, couponAction, EventTypes.CouponIssued, dormancy.WakeAt.Value.AddSeconds(1),
            new JsonObject { ["code"] = "BACK20-7K2M9QXD", ["percentOff"] = couponAction.PercentOff, ["expiresAt"] = couponAction.ExpiresAt });
        var issuedAt = dormancy.WakeAt.Value.AddSeconds(1);

        return
        [
            DecisionLoop.Measure("order.placed, 3 active: 2 goals reached, dormancy restarted (CustomerDecision)", () =>
                CustomerDecision.Decide(profile, states, second, Store, library, secondAt).Journeys is { Timers.Count: 1, Actions.Count: 0 }, perCase, ct),
            DecisionLoop.Measure("the same, JourneyEngine.Decide alone (profile already reduced)", () =>
                JourneyEngine.Decide(reduced, states, second, Store, library, secondAt) is { Timers.Count: 1, Actions.Count: 0 }, perCase, ct),
            DecisionLoop.Measure("wake-up: 30-day wait → consent branch → issueCoupon", () =>
                CustomerDecision.Decide(profile, states, wake, Store, library, dormancy.WakeAt.Value).Journeys is { Changed: true, Actions: [{ Kind: ActionKinds.IssueCoupon }] }, perCase, ct),
            DecisionLoop.Measure("stale wake-up (token moved on): nothing to do", () =>
                CustomerDecision.Decide(profile, states, stale, Store, library, staleAt).Journeys is { Changed: false }, perCase, ct),
            DecisionLoop.Measure("coupon.issued result → sendEmail, 30-day wait", () =>
                CustomerDecision.Decide(profile, woken.States, issued, Store, library, issuedAt).Journeys is { Actions: [{ Kind: ActionKinds.SendEmail }], Timers.Count: 1 }, perCase, ct),
        ];
    }

    private sealed record Customer(CustomerProfile? Profile, JourneyStates States)
    {
        public Customer Apply(CustomerEvent e, DateTimeOffset now, JourneyLibrary library)
        {
            var outcome = CustomerDecision.Decide(Profile, States, e, Store, library, now);
            if (outcome.IgnoredReason is { } reason) throw new InvalidOperationException($"{e.Type} was ignored: {reason}");
            return new Customer(outcome.Profile, outcome.Journeys?.States ?? States);
        }

        public JourneyInstance Instance(string journeyId) => States.Instances.TryGetValue(journeyId, out var i) && i.IsActive
            ? i : throw new InvalidOperationException($"The bench customer has no active {journeyId} instance.");
    }

    private static CustomerEvent Order(int n, DateTimeOffset at)
    {
        var customer = new CustomerFacts(ExternalId, "customer3@example.com", "Ann", "Smith", "en-CA", "CA",
            Consent: new ConsentFacts("subscribed", "shopify:orders/create", T0.AddDays(-30)));
        var order = new OrderFacts($"{5961433645200000000 + n}", 59.90m, "CAD", null,
            Lines: [new OrderLine("9007199254740993", "IPod Nano - 8GB", null, 1, 199m), new OrderLine("632910392", "Case", null, 2, 99.5m)]);
        return new CustomerEvent($"shopify:order-{n}", Store.StoreId, Key, EventTypes.OrderPlaced, at, at, "shopify", customer, order);
    }

    private static CustomerEvent Delivered(int n, DateTimeOffset at) =>
        new($"shopify:delivered-{n}", Store.StoreId, Key, EventTypes.OrderDelivered, at, at, "shopify", Order: new OrderFacts($"{5961433645200000000 + n}"));

    private static CustomerEvent ComplaintClosed(DateTimeOffset at) =>
        new("api:complaint-1", Store.StoreId, Key, EventTypes.ComplaintClosed, at, at, "api", new CustomerFacts(ExternalId), Data: new JsonObject { ["complaintId"] = "c-1" });
}
