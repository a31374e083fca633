using System.Text;
using System.Text.Json.Nodes;
using Automation.Core.Journeys.Calendar;
using Automation.Core.Journeys.Conditions;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Messaging;

namespace Automation.Core.Journeys.Engine;

internal sealed partial class DecisionRun
{
    /// <summary>Most steps one instance may take in one decision: a guard behind the validator's no-loop rule.</summary>
    private const int MaxStepsAtOnce = 100;

    /// <summary>
    /// Moves one instance through its steps until it waits or ends. Steps that do not wait run at
    /// once; each records what it did, or why it did not, in the instance's history.
    /// </summary>
    private sealed class Cursor(DecisionRun run, JourneyInstance instance, JourneyDefinition definition)
    {
        private int _steps;
        public JourneyInstance Instance { get; set; } = instance;

        public void Note(string step, string outcome, string? detail) => Instance = run.Note(Instance, step, outcome, detail);

        public void Finish(string status, string reason) => Instance = run.End(Instance, status, reason);

        public void Go(string? next)
        {
            if (next is null) Finish(InstanceStatus.Completed, $"step '{Instance.StepId}' has nowhere to go");
            else Enter(next);
        }

        public void Enter(string stepId)
        {
            while (Instance.IsActive)
            {
                if (++_steps > MaxStepsAtOnce)
                {
                    Finish(InstanceStatus.Exited, $"stopped after {MaxStepsAtOnce} steps at once: the journey loops without waiting");
                    return;
                }
                if (definition.Step(stepId) is not { } step)
                {
                    Finish(InstanceStatus.Exited, $"step '{stepId}' is not in version {Instance.Version}");
                    return;
                }
                Instance = Instance with { StepId = step.Id, StepEnteredAt = run.At };
                if (Act(step) is not { } next) return;
                stepId = next;
            }
        }

        /// <summary>Runs one step; the step to go on to, or null when the instance now waits or ended.</summary>
        private string? Act(JourneyStep step)
        {
            switch (step.Type)
            {
                case StepTypes.Wait:
                    return Arm(step, run.At + IsoDuration.Parse(step.Duration!), InstanceStatus.WaitTimer);
                case StepTypes.WaitUntil:
                    var due = WaitUntil(step);
                    if (due > run.At) return Arm(step, due, InstanceStatus.WaitTimer);
                    Note(step.Id, "late", $"{Local(due)} has already passed; going on");
                    return step.Next;
                case StepTypes.WaitForEvent:
                    return Arm(step, run.At + IsoDuration.Parse(step.Timeout!), InstanceStatus.WaitEvent);
                case StepTypes.Branch:
                    return Branch(step);
                case StepTypes.Split:
                    return Split(step);
                case StepTypes.IssueCoupon:
                    return IssueCoupon(step);
                case StepTypes.SendEmail:
                    return SendEmail(step) ? step.Next : null;
                case StepTypes.Notify:
                    Notify(step);
                    return step.Next;
                case StepTypes.UpdateProfile:
                    UpdateProfile(step);
                    return step.Next;
                case StepTypes.Exit:
                    Finish(InstanceStatus.Exited, $"exit step '{step.Id}'");
                    return null;
                default:
                    Finish(InstanceStatus.Exited, $"step '{step.Id}' has an unknown type '{step.Type}'");
                    return null;
            }
        }

        private string? Arm(JourneyStep step, DateTimeOffset due, string waiting)
        {
            var seq = Instance.Seq + 1;
            var token = $"{Instance.Run}-{seq}";
            run._timers.Add(new JourneyTimer(Instance.JourneyId, token, due));
            Instance = Instance with { Seq = seq, Token = token, WakeAt = due, Waiting = waiting };
            Note(step.Id, "waiting", waiting == InstanceStatus.WaitEvent ? $"for {step.Event} until {Local(due)}" : $"until {Local(due)}");
            return null;
        }

        /// <summary>The send policy said "not yet": the instance stays at the step, and its timer brings it back then.</summary>
        private void Defer(JourneyStep step, DateTimeOffset until, string reason)
        {
            var seq = Instance.Seq + 1;
            var token = $"{Instance.Run}-{seq}";
            run._timers.Add(new JourneyTimer(Instance.JourneyId, token, until));
            Instance = Instance with { Seq = seq, Token = token, WakeAt = until, Waiting = InstanceStatus.WaitTimer };
            Note(step.Id, "deferred", $"{reason}; until {Local(until)}");
        }

        private DateTimeOffset WaitUntil(JourneyStep step)
        {
            var zone = Zone;
            LocalTime.TryParseTimeOfDay(step.TimeOfDay, out var time);
            if (LocalTime.TryParseDate(step.Date, out var date)) return LocalTime.At(date, time, zone);
            if (step.Holiday is { } holiday)
            {
                var day = Calendar.Holidays.Next(holiday, LocalTime.Today(run.At, zone));
                var local = day.ToDateTime(time) + (step.Offset is { } offset ? IsoDuration.Parse(offset) : TimeSpan.Zero);
                return LocalTime.At(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), zone);
            }
            return LocalTime.Next(run.At, time, zone);
        }

        private string? Branch(JourneyStep step)
        {
            var cases = step.Branches ?? [];
            for (var i = 0; i < cases.Count; i++)
            {
                if (!ConditionEvaluator.Evaluate(cases[i].Condition, run.Context)) continue;
                Note(step.Id, "branched", $"case {i + 1} → {cases[i].Next}");
                return cases[i].Next;
            }
            Note(step.Id, "branched", $"otherwise → {step.Otherwise}");
            return step.Otherwise;
        }

        /// <summary>Deterministic per customer, journey, run and step, so a repeated decision takes the same path.</summary>
        private string? Split(JourneyStep step)
        {
            var paths = step.Paths ?? [];
            var holdout = step.Holdout?.Weight ?? 0;
            var total = paths.Sum(p => p.Weight) + holdout;
            if (total <= 0) return paths.FirstOrDefault()?.Next;
            var bucket = (int)(Fnv1a($"{run._profile.CustomerKey}|{Instance.JourneyId}|{Instance.Run}|{step.Id}") % (uint)total);
            foreach (var path in paths)
            {
                if (bucket < path.Weight)
                {
                    Instance = Instance with { Group = path.Id };
                    Note(step.Id, "split", $"path {path.Id}");
                    return path.Next;
                }
                bucket -= path.Weight;
            }
            Instance = Instance with { Group = InstanceStatus.HoldoutGroup };
            Note(step.Id, "split", "holdout: nothing is sent from here on; goals still count");
            return step.Holdout?.Next ?? paths.FirstOrDefault()?.Next;
        }

        private string? IssueCoupon(JourneyStep step)
        {
            if (Instance.HeldOut)
            {
                Note(step.Id, "heldOut", "holdout group: no coupon");
                return step.Next;
            }
            if (!run.Library.Catalog.CouponPools.TryGetValue(step.Pool!, out var pool))
            {
                Note(step.Id, "skipped", $"coupon pool '{step.Pool}' is not in the catalog");
                return step.OnFailure ?? step.Next;
            }
            var validFor = IsoDuration.Parse(step.ValidFor ?? pool.ValidFor);
            // The value travels with the action, the result event and the issued coupon, so the email
            // shows what was promised even if the catalog changes while the step waits.
            var amount = pool.AmountOff is > 0m;
            var currency = amount ? (pool.Currency ?? run.Store.Currency).ToUpperInvariant() : null;
            var source = pool.Source == CouponSources.Pool ? CouponSources.Pool : CouponSources.Generated;
            var action = NewAction(step, ActionKinds.IssueCoupon) with
            {
                Pool = step.Pool,
                CouponSource = source,
                PercentOff = amount ? null : pool.PercentOff,
                AmountOff = amount ? pool.AmountOff : null,
                Currency = currency,
                MinimumOrder = pool.MinimumOrder,
                Prefix = source == CouponSources.Generated ? pool.Prefix : null,
                ExpiresAt = run.At + validFor,
            };
            run._actions.Add(action);
            Instance = Instance with { AwaitingAction = action.Id, Waiting = InstanceStatus.WaitResult };
            var value = amount ? $"{pool.AmountOff!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} {currency} off" : $"{pool.PercentOff}% off";
            var minimum = pool.MinimumOrder is { } min ? $" on orders from {min.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "";
            Note(step.Id, "couponRequested", $"{value}{minimum} from {step.Pool}, valid {IsoDuration.Format(validFor)}");
            return null;
        }

        /// <summary>Least time a coupon must still be valid when its deferred email goes out.</summary>
        private static readonly TimeSpan CouponMargin = TimeSpan.FromDays(1);

        /// <summary>Queues the email, or records why not; false when the policy deferred it (the instance waits at the step).</summary>
        private bool SendEmail(JourneyStep step)
        {
            var category = step.Category ?? StepTypes.Marketing;
            string? skip = null;
            IssuedCoupon? coupon = null;
            if (Instance.HeldOut) skip = "holdout group: not sent";
            else if (step.Coupon is { } couponStep && !Instance.Coupons.TryGetValue(couponStep, out coupon)) skip = $"coupon of step '{couponStep}' was not issued";
            if (skip is not null)
            {
                Note(step.Id, Instance.HeldOut ? "heldOut" : "skipped", skip);
                return true;
            }
            var policy = SendPolicy.Schedule(run._profile, Instance.JourneyId, category, step.WhenCapped == StepTypes.Skip, run.Store, run.At);
            // A deferred email must not carry a coupon that is dead by the time it arrives.
            if (coupon is not null && (policy.Verdict == SendVerdict.Defer ? coupon.ExpiresAt <= policy.Until!.Value + CouponMargin
                    : policy.Verdict == SendVerdict.SendNow && coupon.ExpiresAt <= run.At))
            {
                Note(step.Id, "skipped", $"coupon {coupon.Code} expires {Local(coupon.ExpiresAt)}, too soon after the email could go out{(policy.Reason is null ? "" : $" ({policy.Reason})")}");
                return true;
            }
            switch (policy.Verdict)
            {
                case SendVerdict.Skip:
                    Note(step.Id, "skipped", policy.Reason);
                    return true;
                case SendVerdict.Defer:
                    Defer(step, policy.Until!.Value, policy.Reason ?? "not allowed now");
                    return false;
            }
            var action = NewAction(step, ActionKinds.SendEmail) with
            {
                Template = step.Template,
                Category = category,
                Delivery = step.Delivery ?? StepTypes.AtMostOnce,
                Coupon = coupon,
            };
            run._actions.Add(action);
            // The slot is taken now, so caps see it in this decision (a competing journey) and every later one.
            if (category == StepTypes.Marketing)
                run._profile = run._profile with { Mailing = run._profile.Mailing.Reserve(run.At, Instance.JourneyId, action.Id) };
            Note(step.Id, "emailQueued", step.Template + (coupon is null ? "" : $" with coupon {coupon.Code}"));
            return true;
        }

        private void Notify(JourneyStep step)
        {
            if (Instance.HeldOut)
            {
                Note(step.Id, "heldOut", "holdout group: not notified");
                return;
            }
            var profile = run._profile;
            var received = new JsonObject();
            foreach (var (id, r) in Instance.Received) received[id] = Ref(r);
            var body = new JsonObject
            {
                ["journey"] = Instance.JourneyId,
                ["version"] = Instance.Version,
                ["run"] = Instance.Run,
                ["step"] = step.Id,
                ["at"] = run.At,
                ["customer"] = new JsonObject
                {
                    ["storeId"] = profile.StoreId,
                    ["key"] = profile.CustomerKey,
                    ["id"] = profile.ExternalId,
                    ["email"] = profile.Email,
                    ["firstName"] = profile.FirstName,
                    ["lastName"] = profile.LastName,
                },
                ["trigger"] = Ref(Instance.Trigger),
                ["received"] = received,
            };
            // The event that led here (a survey answer and its score), wherever the journey received it.
            if (!Events.EventTypes.Internal.Contains(run.Event.Type)) body["event"] = Ref(EngineEvents.Ref(run.Event));
            var action = NewAction(step, ActionKinds.Notify) with { Webhook = step.Webhook, Body = body };
            run._actions.Add(action);
            Note(step.Id, "notifyQueued", step.Webhook);
        }

        private static JsonObject Ref(EventRef r) => new()
        {
            ["id"] = r.Id,
            ["type"] = r.Type,
            ["at"] = r.At,
            ["orderId"] = r.OrderId,
            ["total"] = r.Total,
            ["data"] = r.Data?.DeepClone(),
        };

        private void UpdateProfile(JourneyStep step)
        {
            var tags = run._profile.Tags;
            foreach (var t in step.AddTags ?? []) tags = tags.Add(t);
            foreach (var t in step.RemoveTags ?? []) tags = tags.Remove(t);
            run._profile = run._profile with { Tags = tags };
            var change = string.Join(", ", (step.AddTags ?? []).Select(t => "+" + t).Concat((step.RemoveTags ?? []).Select(t => "-" + t)));
            Note(step.Id, "tagged", change);
        }

        private JourneyAction NewAction(JourneyStep step, string kind)
        {
            var seq = Instance.Seq + 1;
            Instance = Instance with { Seq = seq };
            return new JourneyAction($"{Instance.JourneyId}.{Instance.Run}.{seq}", kind, Instance.JourneyId, Instance.Version, Instance.Run, step.Id, run.At);
        }

        private TimeZoneInfo Zone => LocalTime.Zone(run._profile.TimeZone ?? run.Store.TimeZone);

        private string Local(DateTimeOffset at) =>
            TimeZoneInfo.ConvertTime(at, Zone).ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture) + $" ({Zone.Id})";

        private static uint Fnv1a(string s)
        {
            var hash = 2166136261u;
            foreach (var b in Encoding.UTF8.GetBytes(s)) hash = (hash ^ b) * 16777619u;
            return hash;
        }
    }
}
