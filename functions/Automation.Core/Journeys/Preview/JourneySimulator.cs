using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Journeys.Preview;

/// <summary>One line of a simulated timeline: a step taken (or not) by one run of a journey.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Journey, int Run, string Step, string Outcome, string? Detail);

/// <summary>
/// The engine with an in-memory store and a virtual clock: the journey preview, and the harness of
/// the scenario tests. Events and timers are applied in time order through exactly the decision
/// the queue consumer makes; outbox actions succeed at once (coupon codes are made up) unless
/// <see cref="Fail"/> says otherwise. Nothing is sent and nothing is stored.
/// </summary>
public sealed class JourneySimulator(StoreSettings store, JourneyLibrary library, string customerKey = "id:preview")
{
    private readonly List<JourneyTimer> _timers = [];
    private readonly Dictionary<(string Journey, int Run), JourneyInstance> _runs = [];
    private int _events;

    public DateTimeOffset Now { get; private set; }
    public CustomerProfile? Profile { get; private set; }
    public JourneyStates States { get; private set; } = JourneyStates.Empty;

    /// <summary>Every action dispatched, with the time it was decided.</summary>
    public List<JourneyAction> Actions { get; } = [];

    /// <summary>Decides whether an action fails, and why (null: it succeeds).</summary>
    public Func<JourneyAction, string?> Fail { get; set; } = _ => null;

    public IEnumerable<JourneyAction> Emails => Actions.Where(a => a.Kind == ActionKinds.SendEmail);
    public IEnumerable<JourneyAction> Coupons => Actions.Where(a => a.Kind == ActionKinds.IssueCoupon);
    public IEnumerable<JourneyAction> Notifications => Actions.Where(a => a.Kind == ActionKinds.Notify);

    /// <summary>Every run so far, ended ones included (a restart replaces a run in <see cref="States"/>).</summary>
    public IReadOnlyList<JourneyInstance> Runs => [.. _runs.Values.OrderBy(i => i.JourneyId, StringComparer.Ordinal).ThenBy(i => i.Run)];

    /// <summary>Pending wake-ups, earliest first.</summary>
    public IEnumerable<JourneyTimer> Timers => _timers.OrderBy(t => t.DueAt);

    /// <summary>Every step of every run so far, in time order.</summary>
    public IReadOnlyList<TimelineEntry> Timeline =>
        [.. _runs.Values.SelectMany(i => i.History.Select(h => new TimelineEntry(h.At, i.JourneyId, i.Run, h.Step, h.Outcome, h.Detail))).OrderBy(t => t.At)];

    public JourneySimulator StartAt(DateTimeOffset at, CustomerProfile? profile = null)
    {
        Now = at;
        Profile = profile is null ? null : profile with { StoreId = store.StoreId, CustomerKey = customerKey };
        return this;
    }

    /// <summary>Fires every timer due up to <paramref name="until"/> in order, then sets the clock there.</summary>
    public JourneySimulator AdvanceTo(DateTimeOffset until)
    {
        while (_timers.Where(t => t.DueAt <= until).OrderBy(t => t.DueAt).FirstOrDefault() is { } timer)
        {
            _timers.Remove(timer);
            if (timer.DueAt > Now) Now = timer.DueAt;
            Apply(EngineEvents.WakeUp(store.StoreId, customerKey, timer.JourneyId, timer.Token, timer.DueAt, Now));
        }
        if (until > Now) Now = until;
        return this;
    }

    public JourneySimulator Advance(TimeSpan by) => AdvanceTo(Now + by);

    /// <summary>Applies an event occurring now (time first moves to its time if that is later).</summary>
    public JourneySimulator Event(string type, OrderFacts? order = null, JsonObject? data = null, CustomerFacts? customer = null, DateTimeOffset? at = null)
    {
        AdvanceTo(at ?? Now);
        var e = new CustomerEvent($"sim-{++_events}", store.StoreId, customerKey, type, Now, Now, "preview", customer, order, data);
        return Apply(e);
    }

    public JourneySimulator Apply(CustomerEvent e)
    {
        var pending = new Queue<CustomerEvent>([e]);
        while (pending.TryDequeue(out var next))
        {
            var outcome = CustomerDecision.Decide(Profile, States, next, store, library, Now);
            if (outcome.Profile is not null) Profile = outcome.Profile;
            if (outcome.Journeys is not { Changed: true } decision) continue;
            States = decision.States;
            // Ended runs in full (the states keep only their last entries), active ones as they are now.
            foreach (var instance in States.Instances.Values.Concat(decision.Ended)) _runs[(instance.JourneyId, instance.Run)] = instance;
            _timers.RemoveAll(t => States.Instances.TryGetValue(t.JourneyId, out var i) && i.Token != t.Token);
            _timers.AddRange(decision.Timers.Where(t => States.Instances.GetValueOrDefault(t.JourneyId)?.Token == t.Token));
            foreach (var action in decision.Actions)
            {
                Actions.Add(action);
                pending.Enqueue(Result(action));
            }
        }
        return this;
    }

    private CustomerEvent Result(JourneyAction a)
    {
        var failure = Fail(a);
        var (type, details) = (a.Kind, failure) switch
        {
            // The value, minimum and expiry the action promises, as the real issuer reports them; pool codes have no prefix.
            (ActionKinds.IssueCoupon, null) => (EventTypes.CouponIssued,
                CouponResults.Issued(a, (string.IsNullOrEmpty(a.Prefix) ? "POOL" : a.Prefix) + $"-SIM{Actions.Count:D4}")),
            (ActionKinds.IssueCoupon, _) => (EventTypes.CouponFailed, new JsonObject { ["reason"] = failure }),
            (ActionKinds.SendEmail, null) => (EventTypes.EmailSent, new JsonObject { ["messageId"] = "preview" }),
            (ActionKinds.SendEmail, _) => (EventTypes.EmailFailed, new JsonObject { ["reason"] = failure }),
            (_, null) => (EventTypes.NotifySent, new JsonObject { ["status"] = "200" }),
            _ => (EventTypes.NotifyFailed, new JsonObject { ["reason"] = failure }),
        };
        return EngineEvents.Result(store.StoreId, customerKey, a, type, Now, details);
    }
}
