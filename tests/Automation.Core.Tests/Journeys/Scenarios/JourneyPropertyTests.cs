using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Journeys.Conditions;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Core.Journeys.Preview;
using Automation.Core.Messaging;
using Automation.Core.Profiles;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>
/// The engine's invariants over random interleavings of orders, deliveries, cancellations,
/// complaints, survey answers, consent changes and time, with all three shipped journeys live
/// for one customer at once.
/// </summary>
public sealed class JourneyPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Thirty = TimeSpan.FromDays(30);

    // What happens to the customer, one after the other; time only moves in Wait.
    public abstract record Op;

    public sealed record Wait(int Minutes) : Op
    {
        public override string ToString() => "wait " + IsoDuration.Format(TimeSpan.FromMinutes(Minutes));
    }

    /// <param name="LateHours">How long before it arrives the order was placed (an import when past maxEventAge).</param>
    public sealed record PlaceOrder(decimal Total, bool UsesLatestCoupon, int LateHours) : Op
    {
        public override string ToString() => $"order {Total.ToString(CultureInfo.InvariantCulture)}" + (UsesLatestCoupon ? " with the latest coupon" : "") + (LateHours > 0 ? $" placed {LateHours}h earlier" : "");
    }

    /// <param name="Which">The n-th order placed so far; past the last, an order the journeys never saw.</param>
    public sealed record Deliver(int Which) : Op
    {
        public override string ToString() => $"deliver order #{Which}";
    }

    public sealed record Cancel(int Which) : Op
    {
        public override string ToString() => $"cancel order #{Which}";
    }

    public sealed record CloseComplaint(int Complaint, int LateHours) : Op
    {
        public override string ToString() => $"close complaint c{Complaint}" + (LateHours > 0 ? $" closed {LateHours}h earlier" : "");
    }

    public sealed record Answer(int Score) : Op
    {
        public override string ToString() => $"survey answered {Score}";
    }

    public sealed record ChangeConsent(string State) : Op
    {
        public override string ToString() => $"consent {State}";
    }

    /// <summary>The store starts a sale: the flash-sale journey (tests only) sends a marketing email at once.</summary>
    public sealed record StartSale : Op
    {
        public override string ToString() => "sale started";
    }

    /// <summary>Something malformed, forged or out of order: it may do nothing, but must not throw.</summary>
    public sealed record Odd(int Kind, int Variant) : Op
    {
        public override string ToString() => $"odd event {Kind}/{Variant}";
    }

    private static Gen<Op> Ordinary() => Gen.Frequency(
        (4, Gen.Choose(30, 72 * 60).Select(m => (Op)new Wait(m))),
        (3, Gen.Choose(5, 75).Select(d => (Op)new Wait(d * 24 * 60))),
        (4, from total in Gen.Choose(5, 300)
            from coupon in Gen.Elements(false, false, true)
            from late in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(1, 24 * 40)))
            select (Op)new PlaceOrder(total, coupon, late)),
        (2, Gen.Choose(0, 4).Select(n => (Op)new Deliver(n))),
        (1, Gen.Choose(0, 4).Select(n => (Op)new Cancel(n))),
        (2, from c in Gen.Choose(1, 3)
            from late in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(1, 24 * 5)))
            select (Op)new CloseComplaint(c, late)),
        (2, Gen.Choose(1, 5).Select(s => (Op)new Answer(s))),
        (1, Gen.Elements("subscribed", "unsubscribed", "not_subscribed").Select(s => (Op)new ChangeConsent(s))));

    private static Gen<Op> WithOdd() => Gen.Frequency(
        (4, Ordinary()),
        (1, from kind in Gen.Choose(0, 11) from variant in Gen.Choose(0, 5) select (Op)new Odd(kind, variant)));

    private static Gen<Op> WithSales() => Gen.Frequency((5, Ordinary()), (2, Gen.Constant((Op)new StartSale())));

    private static Arbitrary<List<Op>> Histories(Gen<Op> op) =>
        Arb.From(op.ListOf().Select(ops => ops.Take(60).ToList()), Shrink);

    /// <summary>Shrinks a failing history by dropping one op at a time, so the report is short.</summary>
    private static IEnumerable<List<Op>> Shrink(List<Op> ops) =>
        Enumerable.Range(0, ops.Count).Select(i => ops.Where((_, j) => j != i).ToList());

    [Property(MaxTest = 300)]
    public Property dormancy_coupon_is_never_issued_within_30_days_of_an_order() =>
        Prop.ForAll(Histories(Ordinary()), ops =>
        {
            var trace = Trace.Of(ops);
            var actions = trace.Simulator.Actions;
            for (var i = 0; i < actions.Count; i++)
            {
                var a = actions[i];
                if (a.JourneyId != ShippedJourneys.Dormancy || a.Kind != ActionKinds.IssueCoupon) continue;
                foreach (var order in trace.Orders.Where(o => o.ActionsBefore <= i))
                    Assert.True(a.CreatedAt - order.PlacedAt >= Thirty,
                        $"{a.Id} ({a.Pool}) at {Times.Utc(a.CreatedAt)} is {a.CreatedAt - order.PlacedAt} after order {order.OrderId} placed at {Times.Utc(order.PlacedAt)}");
            }
        });

    [Property(MaxTest = 300)]
    public Property no_step_of_one_run_acts_twice() =>
        Prop.ForAll(Histories(WithOdd()), ops =>
        {
            var actions = Trace.Of(ops).Simulator.Actions;
            Assert.Empty(actions.GroupBy(a => a.Id).Where(g => g.Count() > 1).Select(g => g.Key));
            var repeated = actions
                .Where(a => !LoopSteps.Contains((a.JourneyId, a.StepId)))
                .GroupBy(a => (a.JourneyId, a.Run, a.StepId))
                .Where(g => g.Count() > 1)
                .Select(g => $"{g.Key.JourneyId}#{g.Key.Run} {g.Key.StepId}: {string.Join(", ", g.Select(a => a.Id))}");
            Assert.Empty(repeated);
        });

    /// <summary>A goal event that occurred since the run began ends it as converted, attributed to the run's coupon it used.</summary>
    [Property(MaxTest = 300)]
    public Property a_goal_event_always_ends_the_run_it_reaches() =>
        Prop.ForAll(Histories(Ordinary()), ops =>
        {
            var trace = Trace.Of(ops);
            var runs = trace.Simulator.Runs.ToDictionary(i => (i.JourneyId, i.Run));
            foreach (var step in trace.Steps)
            {
                var e = step.Event;
                foreach (var before in step.Before.Instances.Values.Where(i => i.IsActive && e.OccurredAt >= i.Trigger.At))
                {
                    var context = new ConditionContext(step.ProfileAfter!, e, Scenario.DefaultStore, step.At);
                    if (!ShippedJourneys.Load(before.JourneyId).Goals.Any(g => g.Event == e.Type && ConditionEvaluator.Evaluate(g.Condition, context))) continue;
                    var after = runs[(before.JourneyId, before.Run)];
                    Assert.True(after.Status == InstanceStatus.Converted, $"{step.Op}: {before.JourneyId}#{before.Run} is {after.Status} ({after.EndReason}), not converted");
                    Assert.Equal(e.Id, after.Conversion?.EventId);
                    Assert.Equal(e.Order?.Total, after.Conversion?.Revenue);
                    var used = e.Order?.DiscountCodes ?? [];
                    var ownCode = before.Coupons.Values.Select(c => c.Code).FirstOrDefault(c => used.Contains(c, StringComparer.OrdinalIgnoreCase));
                    Assert.Equal(ownCode, after.Conversion?.Coupon);
                }
            }
        });

    [Property(MaxTest = 200)]
    public Property the_engine_is_deterministic_the_same_events_and_times_give_the_same_actions() =>
        Prop.ForAll(Histories(WithOdd()), ops =>
        {
            var (first, second) = (Trace.Of(ops), Trace.Of(ops));
            Assert.Equal(Fingerprint(first.Simulator), Fingerprint(second.Simulator));
        });

    [Property(MaxTest = 500)]
    public Property any_event_sequence_never_throws() =>
        Prop.ForAll(Histories(WithOdd()), ops =>
        {
            var trace = Trace.Of(ops);
            Assert.Equal(trace.Simulator.Actions.Count, trace.Simulator.Actions.Select(a => a.Id).Distinct().Count());
        });

    /// <summary>
    /// With the default policy (1 in 16 hours, 4 in 30 days, 09:00-21:00 local) and a flash sale
    /// competing with the shipped journeys: whatever happens, no two marketing emails to the
    /// customer within 16 hours, never more than 4 in 30 days, and every email inside the window.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property the_default_policy_caps_marketing_email_and_keeps_every_email_in_the_send_window() =>
        Prop.ForAll(Histories(WithSales()), ops =>
        {
            var emails = Trace.Of(ops, WithFlashSale.Value).Simulator.Emails.ToList();
            var policy = MessagePolicy.Default;
            var zone = TimeZoneInfo.FindSystemTimeZoneById(Scenario.DefaultStore.TimeZone);
            foreach (var email in emails)
                Assert.True(SendPolicy.InWindow(email.CreatedAt, policy.SendWindowStart, policy.SendWindowEnd, zone),
                    $"{email.Id} ({email.Template}) at {Times.Utc(email.CreatedAt)} is outside the send window");
            var marketing = emails.Where(a => a.Category == StepTypes.Marketing).OrderBy(a => a.CreatedAt).ToList();
            for (var i = 1; i < marketing.Count; i++)
                Assert.True(marketing[i].CreatedAt - marketing[i - 1].CreatedAt >= TimeSpan.FromHours(16),
                    $"{marketing[i - 1].Id} at {Times.Utc(marketing[i - 1].CreatedAt)} and {marketing[i].Id} at {Times.Utc(marketing[i].CreatedAt)} are less than 16 hours apart");
            for (var i = 4; i < marketing.Count; i++)
                Assert.True(marketing[i].CreatedAt - marketing[i - 4].CreatedAt >= Thirty,
                    $"five marketing emails from {Times.Utc(marketing[i - 4].CreatedAt)} to {Times.Utc(marketing[i].CreatedAt)}");
        });

    private static readonly Lazy<JourneyLibrary> WithFlashSale = new(() =>
    {
        var sale = JourneyReader.Read("""
            { "schemaVersion": 1, "id": "flash-sale", "name": "Flash sale", "trigger": { "event": "sale.started" }, "priority": 80,
              "steps": [ { "id": "send", "type": "sendEmail", "template": "first-order-thank-you", "next": "done" }, { "id": "done", "type": "exit" } ] }
            """, ShippedJourneys.Catalog).Definition!;
        return new JourneyLibrary([.. ShippedJourneys.Ids.Select(id => PublishedJourney.Single(ShippedJourneys.Load(id))), PublishedJourney.Single(sale)], ShippedJourneys.Catalog);
    });

    [Fact]
    public void the_shipped_journeys_have_no_loops_so_every_step_acts_at_most_once_per_run() => Assert.Empty(LoopSteps);

    /// <summary>Steps that can reach themselves (through a wait, as the validator requires): they may act more than once per run.</summary>
    private static readonly HashSet<(string Journey, string Step)> LoopSteps = [.. ShippedJourneys.Ids.SelectMany(LoopStepsOf)];

    private static IEnumerable<(string, string)> LoopStepsOf(string journeyId)
    {
        var definition = ShippedJourneys.Load(journeyId);
        foreach (var step in definition.Steps)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(step.Exits().Select(e => e.Target));
            while (pending.TryPop(out var id))
            {
                if (id == step.Id) { yield return (journeyId, step.Id); break; }
                if (seen.Add(id) && definition.Step(id) is { } next)
                    foreach (var (target, _) in next.Exits()) pending.Push(target);
            }
        }
    }

    private static string Fingerprint(JourneySimulator s) =>
        JsonSerializer.Serialize(new { s.Actions, s.States, s.Profile, s.Timeline, s.Now }, EventJson.Options);

    /// <summary>One history played through the simulator, with what each op saw before and after.</summary>
    private sealed class Trace
    {
        private readonly List<string> _orders = [];
        private int _events;

        public JourneySimulator Simulator { get; }
        public List<OrderArrival> Orders { get; } = [];
        public List<StepRecord> Steps { get; } = [];

        private static readonly Lazy<JourneyLibrary> Library = new(() => ShippedJourneys.Library());

        private Trace(JourneyLibrary library) => Simulator = new(Scenario.DefaultStore, library, "id:1001");

        public static Trace Of(IEnumerable<Op> ops, JourneyLibrary? library = null)
        {
            var trace = new Trace(library ?? Library.Value);
            trace.Simulator.StartAt(Start);
            trace.Simulator.Apply(trace.Event(EventTypes.CustomerUpdated, Start, customer: Customer.Ana.Facts(Start)));
            foreach (var op in ops) trace.Play(op);
            return trace;
        }

        private DateTimeOffset Now => Simulator.Now;

        private void Play(Op op)
        {
            var before = Simulator.States;
            CustomerEvent? e = op switch
            {
                Wait w => AdvanceBy(w.Minutes),
                PlaceOrder o => PlacedOrder(o),
                Deliver d => Event(EventTypes.OrderDelivered, Now, order: new OrderFacts(OrderId(d.Which))),
                Cancel c => Event(EventTypes.OrderCancelled, Now, order: new OrderFacts(OrderId(c.Which))),
                CloseComplaint c => Event(EventTypes.ComplaintClosed, Now.AddHours(-c.LateHours), data: new JsonObject { ["complaintId"] = $"c{c.Complaint}" }),
                Answer a => Event(EventTypes.SurveyAnswered, Now, data: new JsonObject { ["score"] = a.Score }),
                ChangeConsent c => Event(EventTypes.ConsentChanged, Now, customer: new CustomerFacts(Consent: new ConsentFacts(c.State, "test", Now))),
                StartSale => Event("sale.started", Now),
                Odd odd => OddEvent(odd),
                _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
            };
            if (e is null) return;
            if (e is { Type: EventTypes.OrderPlaced, Order: { } placed }) Orders.Add(new OrderArrival(placed.OrderId, e.OccurredAt, Simulator.Actions.Count));
            Simulator.Apply(e);
            Steps.Add(new StepRecord(op, e, Now, before, Simulator.States, Simulator.Profile));
        }

        private CustomerEvent? AdvanceBy(int minutes)
        {
            Simulator.Advance(TimeSpan.FromMinutes(minutes));
            return null;
        }

        private CustomerEvent PlacedOrder(PlaceOrder o)
        {
            var id = $"o{_orders.Count + 1}";
            _orders.Add(id);
            var latest = Simulator.Emails.LastOrDefault(a => a.Coupon is not null)?.Coupon?.Code;
            var codes = o.UsesLatestCoupon && latest is not null ? new[] { latest } : [];
            return Event(EventTypes.OrderPlaced, Now.AddHours(-o.LateHours), order: new OrderFacts(id, o.Total, "USD", codes));
        }

        private string OrderId(int which) => which < _orders.Count ? _orders[which] : $"unknown-{which}";

        private CustomerEvent OddEvent(Odd odd)
        {
            JsonNode? score = odd.Variant switch { 0 => "5", 1 => null, 2 => 99, 3 => -1, 4 => 2.5m, _ => new JsonObject { ["value"] = 1 } };
            var anyAction = Simulator.Actions.Count > 0 ? Simulator.Actions[odd.Variant % Simulator.Actions.Count] : null;
            return odd.Kind switch
            {
                0 => Event(EventTypes.OrderPlaced, Now),
                1 => Event(EventTypes.SurveyAnswered, Now, data: new JsonObject { ["score"] = score }),
                2 => Event(EventTypes.ComplaintClosed, Now),
                3 => Event("something.else", Now, order: new OrderFacts("o1")),
                4 => Event(EventTypes.CustomerRedacted, Now),
                5 => Event(EventTypes.ConsentChanged, Now, customer: new CustomerFacts(Consent: new ConsentFacts("weird", "test", Now))),
                6 => EngineEvents.WakeUp("store-1", "id:1001", odd.Variant % 2 == 0 ? ShippedJourneys.Dormancy : "no-such-journey", $"1-{odd.Variant}", Now, Now),
                7 when anyAction is not null => EngineEvents.Result("store-1", "id:1001", anyAction, EventTypes.CouponIssued, Now, new JsonObject { ["code"] = "FORGED" }),
                8 => Event(EventTypes.OrderPlaced, Now.AddDays(3), order: new OrderFacts($"future-{odd.Variant}", 10m)),
                9 => Event(EventTypes.OrderPlaced, new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), order: new OrderFacts($"ancient-{odd.Variant}", 10m)),
                10 => Event(EventTypes.OrderDelivered, Now, order: new OrderFacts(OrderId(odd.Variant), DiscountCodes: ["", "x"])),
                _ => Event(EventTypes.JourneyScheduled, Now, data: new JsonObject { ["journey"] = ShippedJourneys.FirstOrder }),
            };
        }

        private CustomerEvent Event(string type, DateTimeOffset occurred, CustomerFacts? customer = null, OrderFacts? order = null, JsonObject? data = null) =>
            new($"p-{++_events}", "store-1", "id:1001", type, occurred, Now, "api", customer, order, data);
    }

    /// <param name="ActionsBefore">How many actions had been decided when the order arrived.</param>
    private sealed record OrderArrival(string OrderId, DateTimeOffset PlacedAt, int ActionsBefore);

    private sealed record StepRecord(Op Op, CustomerEvent Event, DateTimeOffset At, JourneyStates Before, JourneyStates After, CustomerProfile? ProfileAfter);
}
