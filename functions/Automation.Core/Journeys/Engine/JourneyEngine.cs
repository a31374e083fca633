using System.Collections.Immutable;
using Automation.Core.Events;
using Automation.Core.Journeys.Conditions;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Journeys.Engine;

/// <summary>
/// The journey engine: a pure function of (profile, journey states, event, published journeys,
/// now) to (new profile, new states, outbox actions, timers). No I/O and no clock; the caller
/// persists the decision in one transaction and dispatches the actions afterwards. The same
/// function runs in production, in the preview and in the tests.
/// </summary>
public static class JourneyEngine
{
    public static JourneyDecision Decide(CustomerProfile profile, JourneyStates states, CustomerEvent e, StoreSettings store, JourneyLibrary library, DateTimeOffset now)
    {
        var run = new DecisionRun(profile, states, e, store, library, now);
        switch (e.Type)
        {
            case EventTypes.CustomerRedacted or EventTypes.ShopRedacted:
                run.EndAll("the customer's data was erased");
                break;
            case EventTypes.JourneyWakeUp:
                run.WakeUp(EngineEvents.Text(e, "journey"), EngineEvents.Text(e, "token"));
                break;
            case EventTypes.CouponIssued or EventTypes.CouponFailed or EventTypes.EmailSent
                or EventTypes.EmailFailed or EventTypes.NotifySent or EventTypes.NotifyFailed:
                if (e.Type == EventTypes.EmailFailed) run.ReleaseSendSlot();
                run.Result();
                break;
            case EventTypes.JourneyScheduled:
                // One entry per broadcast: a run this very event started (whatever became of it) means it was applied.
                if (EngineEvents.Text(e, "journey") is { } id && library.Get(id) is { Current.Trigger.Schedule: not null } scheduled
                    && states.Instances.GetValueOrDefault(id)?.Trigger.Id != e.Id)
                    run.TryEnter(scheduled);
                break;
            default:
                run.Goals();
                run.AwaitedEvent();
                // Journeys one event starts compete for the customer's send slots: the higher priority enters first.
                foreach (var journey in DecisionRun.ByPriority(library.TriggeredBy(e.Type))) run.TryEnter(journey);
                break;
        }
        return run.ToDecision();
    }
}

/// <summary>The state of one decision while it is being made.</summary>
internal sealed partial class DecisionRun(CustomerProfile profile, JourneyStates states, CustomerEvent e, StoreSettings store, JourneyLibrary library, DateTimeOffset now)
{
    private readonly List<JourneyAction> _actions = [];
    private readonly List<JourneyTimer> _timers = [];
    private readonly List<string> _completed = [];
    private readonly Dictionary<(string, int), JourneyInstance> _ended = [];
    private readonly Dictionary<string, JourneyInstance> _instances = new(states.Instances, StringComparer.Ordinal);
    private CustomerProfile _profile = profile;
    private bool _changed;

    private ConditionContext Context => new(_profile, e, store, now);
    private DateTimeOffset At => now;
    private StoreSettings Store => store;
    private JourneyLibrary Library => library;
    private CustomerEvent Event => e;

    public JourneyDecision ToDecision() => _changed
        ? new(_profile, states with { Instances = _instances.ToImmutableSortedDictionary(kv => kv.Key, kv => Compact(kv.Value), StringComparer.Ordinal) }, _actions, _timers, _completed, true)
            { Ended = [.. _ended.Values] }
        : new(_profile, states, _actions, _timers, _completed, false);

    private void Put(JourneyInstance instance)
    {
        _instances[instance.JourneyId] = instance;
        // A run that ends in this decision becomes a history row; a note on a run that ended before
        // (a late result) stays in the states, so the row keeps the run's whole history.
        var before = states.Instances.GetValueOrDefault(instance.JourneyId);
        if (!instance.IsActive && (before is null || before.Run != instance.Run || before.IsActive))
            _ended[(instance.JourneyId, instance.Run)] = instance;
        _changed = true;
    }

    /// <summary>Entries of an ended run kept in the states; the whole run is in <see cref="JourneyDecision.Ended"/> (a history row).</summary>
    public const int EndedHistoryKept = 5;

    /// <summary>
    /// An ended run stays in the states only for the entry rules (its run number, start, status);
    /// every later event reads and rewrites the states, so its history is cut to the last entries.
    /// </summary>
    private static JourneyInstance Compact(JourneyInstance i) => i.IsActive || i.History.Count <= EndedHistoryKept && i.Received.IsEmpty
        ? i
        : i with { History = i.History.RemoveRange(0, Math.Max(0, i.History.Count - EndedHistoryKept)), Received = i.Received.Clear() };

    /// <summary>Events from before the run began (imports, late deliveries of old news) neither convert it nor move it.</summary>
    private bool Concerns(JourneyInstance instance) => e.OccurredAt >= instance.Trigger.At;

    public void EndAll(string reason)
    {
        foreach (var instance in _instances.Values.Where(i => i.IsActive).ToList())
            Put(End(instance, InstanceStatus.Exited, reason));
    }

    /// <summary>A timer fired: it acts only if its instance still holds its token.</summary>
    public void WakeUp(string? journeyId, string? token)
    {
        if (journeyId is null || token is null || !_instances.TryGetValue(journeyId, out var instance)) return;
        if (!instance.IsActive || instance.Token != token) return;
        // Deferred emails of the customer's other journeys that are due as well compete for the same
        // slot: all of them are handled now, the higher priority first, so it takes the slot.
        foreach (var due in DueWith(instance))
            if (_instances.GetValueOrDefault(due.JourneyId) is { IsActive: true } current && current.Token == due.Token) Wake(current);
    }

    private void Wake(JourneyInstance instance)
    {
        if (Migrate(instance) is not { } migrated) return;
        var (instanceNow, journey, definition) = migrated;
        instance = instanceNow;
        if (journey.IsPaused)
        {
            Put(Hold(instance, "journey paused; checked again in an hour", now.AddHours(1)));
            return;
        }
        var step = definition.Step(instance.StepId);
        var cursor = new Cursor(this, instance with { Token = null, WakeAt = null, Waiting = null }, definition);
        switch (step?.Type)
        {
            case StepTypes.Wait or StepTypes.WaitUntil:
                cursor.Note(instance.StepId, "woke", null);
                cursor.Go(step.Next);
                break;
            case StepTypes.WaitForEvent:
                cursor.Note(instance.StepId, "timedOut", $"no {step.Event} within {step.Timeout}");
                cursor.Go(step.OnTimeout);
                break;
            case null:
                cursor.Finish(InstanceStatus.Exited, $"step '{instance.StepId}' is not in version {instance.Version}");
                break;
            default:
                cursor.Enter(step.Id);
                break;
        }
        Put(cursor.Instance);
    }

    /// <summary>An outbox action reported back: record it, and resume the step that waited for it.</summary>
    public void Result()
    {
        if (EngineEvents.Text(e, "action") is not { } actionId) return;
        _completed.Add(actionId);
        _changed = true;
        var journeyId = EngineEvents.Text(e, "journey");
        if (journeyId is null || !_instances.TryGetValue(journeyId, out var instance) || instance.Run != EngineEvents.Int(e, "run")) return;
        var step = EngineEvents.Text(e, "step") ?? "?";
        var reason = EngineEvents.Text(e, "reason");
        var (outcome, detail) = e.Type switch
        {
            EventTypes.CouponIssued => ("couponIssued", EngineEvents.Text(e, "code")),
            EventTypes.CouponFailed => ("couponFailed", reason),
            EventTypes.EmailSent => ("emailSent", EngineEvents.Text(e, "messageId")),
            // The policy gate withheld it at the last moment (suppressed since, quota): not a delivery failure.
            EventTypes.EmailFailed when e.Data?["withheld"] is System.Text.Json.Nodes.JsonValue w && w.GetValueKind() == System.Text.Json.JsonValueKind.True => ("withheld", reason),
            EventTypes.EmailFailed => ("emailFailed", reason),
            EventTypes.NotifySent => ("notified", EngineEvents.Text(e, "status")),
            _ => ("notifyFailed", reason),
        };
        if (!instance.IsActive || instance.AwaitingAction != actionId)
        {
            Put(Note(instance, step, outcome, detail));
            return;
        }
        if (Migrate(instance) is not { } migrated) return;
        var cursor = new Cursor(this, migrated.Instance with { AwaitingAction = null, Waiting = null }, migrated.Definition);
        cursor.Note(step, outcome, detail);
        var couponStep = migrated.Definition.Step(step);
        if (e.Type == EventTypes.CouponIssued && EngineEvents.Text(e, "code") is { } code)
        {
            var coupon = new IssuedCoupon(code, EngineEvents.Decimal(e, "percentOff") ?? 0m, EngineEvents.Time(e, "expiresAt") ?? now)
            {
                AmountOff = EngineEvents.Decimal(e, "amountOff"),
                Currency = EngineEvents.Text(e, "currency"),
                MinimumOrder = EngineEvents.Decimal(e, "minimumOrder"),
            };
            cursor.Instance = cursor.Instance with { Coupons = cursor.Instance.Coupons.SetItem(step, coupon) };
            cursor.Go(couponStep?.Next);
        }
        else if (couponStep?.OnFailure is { } onFailure) cursor.Go(onFailure);
        else cursor.Finish(InstanceStatus.Exited, $"coupon could not be issued: {reason ?? "no reason given"}");
        Put(cursor.Instance);
    }

    /// <summary>An event that matches a goal of an active instance ends it as a conversion.</summary>
    public void Goals()
    {
        foreach (var instance in _instances.Values.Where(i => i.IsActive).ToList())
        {
            if (!Concerns(instance)) continue;
            var definition = library.Get(instance.JourneyId)?.Versions.GetValueOrDefault(instance.Version);
            var goal = definition?.Goals.FirstOrDefault(g => g.Event == e.Type && ConditionEvaluator.Evaluate(g.Condition, Context));
            if (goal is null) continue;
            var codes = e.Order?.DiscountCodes ?? [];
            var (couponStep, coupon) = instance.Coupons.FirstOrDefault(c => codes.Contains(c.Value.Code, StringComparer.OrdinalIgnoreCase));
            var conversion = new Conversion(goal.Id, now, e.Id, e.Order?.OrderId, e.Order?.Total, e.Order?.Currency, coupon?.Code, instance.Group)
            {
                CouponStep = coupon is null ? null : couponStep,
            };
            var ended = End(instance with { Conversion = conversion }, InstanceStatus.Converted,
                $"goal '{goal.Id}' reached by {e.Type}" + (coupon is null ? "" : $" with coupon {coupon.Code}"));
            Put(ended);
        }
    }

    /// <summary>An event a waitForEvent step is waiting for moves its instance on.</summary>
    public void AwaitedEvent()
    {
        foreach (var waiting in _instances.Values.Where(i => i is { IsActive: true, Waiting: InstanceStatus.WaitEvent } && Concerns(i)).ToList())
        {
            if (Migrate(waiting) is not { } migrated) continue;
            var instance = migrated.Instance;
            var step = migrated.Definition.Step(instance.StepId);
            if (step is not { Type: StepTypes.WaitForEvent } || step.Event != e.Type) continue;
            if (step.SameOrder == true && (e.Order?.OrderId is null || e.Order.OrderId != instance.Trigger.OrderId)) continue;
            if (!ConditionEvaluator.Evaluate(step.Condition, Context)) continue;
            if (migrated.Journey.IsPaused)
            {
                Put(Note(instance, step.Id, "held", $"journey paused; {e.Type} not taken"));
                continue;
            }
            var cursor = new Cursor(this, instance with
            {
                Token = null, WakeAt = null, Waiting = null,
                Received = instance.Received.SetItem(step.Id, EngineEvents.Ref(e)),
            }, migrated.Definition);
            cursor.Note(step.Id, "received", $"{e.Type} {e.Id}");
            cursor.Go(step.Next);
            Put(cursor.Instance);
        }
    }

    /// <summary>The journey's trigger fired for this customer: enter, unless the entry rules say no.</summary>
    public void TryEnter(PublishedJourney journey)
    {
        if (journey.IsPaused || _profile.RedactedAt is not null) return;
        var definition = journey.Current;
        _instances.TryGetValue(journey.Id, out var previous);
        // An old event is history (an import) and starts nothing, unless it is newer than the
        // customer's last run of this journey: then it is late news, e.g. an order reported late.
        var news = previous is not null && e.OccurredAt >= previous.Trigger.At;
        if (definition.MaxEventAge is { } maxAge && now - e.OccurredAt > IsoDuration.Parse(maxAge) && !news) return;
        if (!ConditionEvaluator.Evaluate(definition.Trigger.Condition, Context)) return;
        if (!ConditionEvaluator.Evaluate(definition.Audience, Context)) return;

        if (previous is { IsActive: true })
        {
            if (definition.Reentry.Mode != Reentry.RestartMode) return;
            Put(End(previous, InstanceStatus.Exited, $"restarted by {e.Type} {e.Id}"));
        }
        else if (previous is not null)
        {
            if (definition.Reentry.Mode == Reentry.OnceMode) return;
            if (definition.Reentry is { Mode: Reentry.AfterMode, After: { } after } && now - previous.StartedAt < IsoDuration.Parse(after)) return;
        }

        var instance = new JourneyInstance
        {
            JourneyId = journey.Id,
            Version = journey.Version,
            Run = (previous?.Run ?? 0) + 1,
            StepId = definition.StartStep,
            StepEnteredAt = now,
            StartedAt = now,
            Trigger = EngineEvents.Ref(e),
        };
        var cursor = new Cursor(this, instance, definition);
        cursor.Note(definition.StartStep, "entered", $"version {journey.Version}, by {e.Type} {e.Id}");
        cursor.Enter(definition.StartStep);
        Put(cursor.Instance);
    }

    private JourneyInstance Hold(JourneyInstance instance, string reason, DateTimeOffset until)
    {
        var token = $"{instance.Run}-{instance.Seq + 1}";
        _timers.Add(new JourneyTimer(instance.JourneyId, token, until));
        var held = instance with { Seq = instance.Seq + 1, Token = token, WakeAt = until };
        return held.History.LastOrDefault() is { Outcome: "held" } ? held : Note(held, instance.StepId, "held", reason);
    }

    private JourneyInstance End(JourneyInstance instance, string status, string reason) =>
        Note(instance with
        {
            Status = status, EndedAt = now, EndReason = reason,
            Token = null, WakeAt = null, Waiting = null, AwaitingAction = null,
        }, instance.StepId, status, reason);

    private JourneyInstance Note(JourneyInstance instance, string step, string outcome, string? detail)
    {
        var history = instance.History.Add(new HistoryEntry(now, step, outcome, detail));
        if (history.Count > JourneyInstance.MaxHistory) history = history.RemoveRange(0, history.Count - JourneyInstance.MaxHistory);
        return instance with { History = history };
    }

    private sealed record Migrated(JourneyInstance Instance, PublishedJourney Journey, JourneyDefinition Definition);

    /// <summary>
    /// Moves an instance to newer versions published with <c>move</c>, at the step with the same id;
    /// null when the instance ended here (its journey is gone, or its step is and the policy says exit).
    /// </summary>
    private Migrated? Migrate(JourneyInstance instance)
    {
        if (library.Get(instance.JourneyId) is not { } journey || !journey.Versions.ContainsKey(instance.Version))
        {
            Put(End(instance, InstanceStatus.Exited, "the journey no longer exists"));
            return null;
        }
        foreach (var (version, definition) in journey.Versions.Where(v => v.Key > instance.Version))
        {
            var policy = journey.Migrations.GetValueOrDefault(version) ?? MigrationPolicy.Default;
            if (policy.InFlight != MigrationPolicy.Move) continue;
            if (definition.Step(instance.StepId) is not null)
            {
                instance = Note(instance with { Version = version }, instance.StepId, "moved", $"to version {version}");
                _changed = true;
                _instances[instance.JourneyId] = instance;
                continue;
            }
            if (policy.MissingStep == MigrationPolicy.Exit)
            {
                Put(End(instance, InstanceStatus.Exited, $"version {version} has no step '{instance.StepId}'"));
                return null;
            }
            break;
        }
        return new Migrated(instance, journey, journey.Versions[instance.Version]);
    }
}
