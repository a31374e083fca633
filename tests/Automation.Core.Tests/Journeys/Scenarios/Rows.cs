using System.Globalization;
using System.Text.Json.Nodes;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;

namespace Automation.Core.Tests.Journeys.Scenarios;

/// <summary>One row of a scenario table.</summary>
public abstract record Row
{
    internal abstract void Apply(ScenarioRun run);
}

/// <summary>Time moves to <paramref name="When"/> (firing due timers in order), then <paramref name="Then"/> happens.</summary>
public sealed record AtRow(string When, Row Then) : Row
{
    internal override void Apply(ScenarioRun run)
    {
        run.AdvanceTo(Times.Parse(When));
        Then.Apply(run);
    }

    public override string ToString() => $"at {When}: {Then}";
}

public sealed record AdvanceRow(string By) : Row
{
    internal override void Apply(ScenarioRun run) => run.AdvanceTo(run.Now + Times.Duration(By));

    public override string ToString() => $"advance {By}";
}

public sealed record AdvanceToRow(string When) : Row
{
    internal override void Apply(ScenarioRun run) => run.AdvanceTo(Times.Parse(When));

    public override string ToString() => $"advance to {When}";
}

/// <summary>Exactly these actions, in this order, since the previous expectation.</summary>
public sealed record ExpectRow(IReadOnlyList<ExpectedAction> Actions) : Row
{
    internal override void Apply(ScenarioRun run)
    {
        var actual = run.TakeNewActions();
        var problems = new List<string>();
        if (actual.Count != Actions.Count)
            problems.Add($"expected {Actions.Count} action(s), the journey produced {actual.Count}");
        for (var i = 0; i < Math.Min(actual.Count, Actions.Count); i++)
            problems.AddRange(Actions[i].Mismatches(actual[i]).Select(m => $"action {i + 1} ({Actions[i]}) {m}"));
        if (problems.Count > 0)
            run.Fail(string.Join('\n', problems) + "\nproduced since the previous expectation:\n"
                + (actual.Count == 0 ? "  (none)" : string.Join('\n', actual.Select(a => "  " + ExpectedAction.Describe(a)))));
    }

    public override string ToString() => Actions.Count == 0 ? "expect nothing" : "expect " + string.Join(", ", Actions);
}

/// <summary>A check of the journey's state, the profile or the history.</summary>
public sealed record CheckRow(string Text, Func<ScenarioRun, string?> Problem) : Row
{
    internal override void Apply(ScenarioRun run)
    {
        if (Problem(run) is { } problem) run.Fail(problem);
    }

    public override string ToString() => Text;
}

/// <summary>An event from the storefront, occurring now unless it is an import of an older one.</summary>
public sealed record EventInput(string Type) : Row
{
    public OrderFacts? Order { get; init; }
    public JsonObject? Data { get; init; }
    public CustomerFacts? Customer { get; init; }

    /// <summary>A marketing consent state the event reports, given when the event occurred.</summary>
    public string? Consent { get; init; }

    /// <summary>When it really happened, for an event that arrives late (an import).</summary>
    public string? Occurred { get; init; }

    /// <summary>The order used the code a coupon step of the journey issued.</summary>
    public string? CouponOfStep { get; init; }

    /// <summary>Typed in lower case at the checkout, as Shopify reports a code the customer typed.</summary>
    public bool LowerCaseCode { get; init; }

    public EventInput UsingCouponOf(string step, bool typedInLowerCase = false) => this with { CouponOfStep = step, LowerCaseCode = typedInLowerCase };

    /// <summary>The order used this discount code (as the storefront reports it).</summary>
    public EventInput UsingCode(string code) =>
        this with { Order = (Order ?? throw new InvalidOperationException("not an order event")) with { DiscountCodes = [.. Order.DiscountCodes ?? [], code] } };

    public EventInput OccurredAt(string when) => this with { Occurred = when };

    internal override void Apply(ScenarioRun run) => run.Send(this);

    public override string ToString()
    {
        var parts = new List<string> { Type };
        if (Order is { } o)
        {
            parts.Add(o.OrderId);
            if (o.Total is { } t) parts.Add(t.ToString(CultureInfo.InvariantCulture) + " " + o.Currency);
            if (o.DiscountCodes is { Count: > 0 } codes) parts.Add("codes " + string.Join(",", codes));
        }
        if (CouponOfStep is not null) parts.Add($"using the coupon of {CouponOfStep}" + (LowerCaseCode ? " in lower case" : ""));
        if (Data is not null) parts.Add(Data.ToJsonString());
        if (Consent is not null) parts.Add(Consent);
        if (Occurred is not null) parts.Add($"(occurred {Occurred})");
        return string.Join(' ', parts);
    }
}

/// <summary>The words scenario tables are written in; <c>using static</c> this class.</summary>
public static class Rows
{
    public static Row At(string when, Row then) => new AtRow(when, then);
    public static Row Advance(string by) => new AdvanceRow(by);
    public static Row AdvanceTo(string when) => new AdvanceToRow(when);
    public static Row Expect(params ExpectedAction[] actions) => new ExpectRow(actions);
    public static Row ExpectNothing() => new ExpectRow([]);

    // Events in
    public static EventInput Order(string id, decimal total, string currency = "USD") =>
        new(EventTypes.OrderPlaced) { Order = new OrderFacts(id, total, currency) };
    public static EventInput Delivered(string orderId) => new(EventTypes.OrderDelivered) { Order = new OrderFacts(orderId) };
    public static EventInput Cancelled(string orderId) => new(EventTypes.OrderCancelled) { Order = new OrderFacts(orderId) };
    public static EventInput ComplaintOpened(string complaintId) => new(EventTypes.ComplaintOpened) { Data = new JsonObject { ["complaintId"] = complaintId } };
    public static EventInput ComplaintClosed(string complaintId) => new(EventTypes.ComplaintClosed) { Data = new JsonObject { ["complaintId"] = complaintId } };
    public static EventInput SurveyAnswered(int score) => new(EventTypes.SurveyAnswered) { Data = new JsonObject { ["score"] = score } };
    public static EventInput ConsentChanged(string state) => new(EventTypes.ConsentChanged) { Consent = state };

    /// <summary>The recipient unsubscribed from every email (the producer also reports consent unsubscribed).</summary>
    public static EventInput UnsubscribedFromAll() => new(EventTypes.EmailUnsubscribed) { Data = new JsonObject { ["scope"] = "all" }, Consent = "unsubscribed" };
    public static EventInput OptedOutOf(string journey) => new(EventTypes.EmailUnsubscribed) { Data = new JsonObject { ["scope"] = "journey", ["journey"] = journey } };
    public static EventInput Suppressed(string reason) => new(EventTypes.EmailSuppressed) { Data = new JsonObject { ["reason"] = reason } };
    public static EventInput Custom(string type) => new(type);

    // Actions out
    public static ExpectedAction Email(string template) => new(ActionKinds.SendEmail, template);
    public static ExpectedAction Coupon(decimal percentOff) => new(ActionKinds.IssueCoupon, null) { PercentOff = percentOff };
    public static ExpectedAction Notify(string webhook) => new(ActionKinds.Notify, webhook);

    // State
    public static Row ExpectStatus(string status, string? reason = null, int? run = null) => new CheckRow(
        $"expect {status}" + (reason is null ? "" : $" ({reason})"),
        r => r.Instance(run) is not { } i ? NoInstance(r, run)
            : i.Status != status ? $"the run is {i.Status} ({i.EndReason}), not {status}"
            : reason is not null && i.EndReason?.Contains(reason, StringComparison.Ordinal) != true ? $"the run ended because \"{i.EndReason}\", not \"{reason}\""
            : null);

    /// <summary>The run ended as a conversion worth <paramref name="revenue"/>, attributed to the coupon of step <paramref name="couponOf"/> (or to none).</summary>
    public static Row ExpectConverted(decimal revenue, string? couponOf, int? run = null) => new CheckRow(
        $"expect converted, revenue {revenue.ToString(CultureInfo.InvariantCulture)}, coupon of {couponOf ?? "(none)"}",
        r =>
        {
            if (r.Instance(run) is not { } i) return NoInstance(r, run);
            if (i.Status != InstanceStatus.Converted || i.Conversion is not { } c) return $"run {i.Run} is {i.Status} ({i.EndReason}), not converted";
            var code = couponOf is null ? null : i.Coupons.GetValueOrDefault(couponOf)?.Code ?? $"(step {couponOf} issued none)";
            if (c.Revenue != revenue) return $"the conversion is worth {c.Revenue}, not {revenue}";
            if (!string.Equals(c.Coupon, code, StringComparison.OrdinalIgnoreCase)) return $"the conversion is attributed to {c.Coupon ?? "no coupon"}, not {code ?? "no coupon"}";
            return null;
        });

    public static Row ExpectNotConverted(int? run = null) => new CheckRow(
        "expect not converted",
        r => r.Instance(run) is not { } i ? NoInstance(r, run)
            : i.Status == InstanceStatus.Converted ? $"run {i.Run} converted: {i.EndReason}, revenue {i.Conversion?.Revenue}"
            : null);

    /// <summary>The history of the journey (any run, or the given one) has this step outcome, its detail containing <paramref name="detail"/>.</summary>
    public static Row ExpectHistory(string step, string outcome, string? detail = null, int? run = null) => new CheckRow(
        $"expect history {step}: {outcome} {detail}",
        r => r.Simulator.Timeline.Any(t => t.Journey == r.Journey && (run is null || t.Run == run) && t.Step == step && t.Outcome == outcome
                && (detail is null || t.Detail?.Contains(detail, StringComparison.Ordinal) == true))
            ? null
            : $"no history entry {step}: {outcome}" + (detail is null ? "" : $" mentioning \"{detail}\""));

    /// <summary>Like <see cref="ExpectHistory"/>, for another journey of the scenario.</summary>
    public static Row ExpectHistoryOf(string journey, string step, string outcome, string? detail = null) => new CheckRow(
        $"expect history {journey} {step}: {outcome} {detail}",
        r => r.Simulator.Timeline.Any(t => t.Journey == journey && t.Step == step && t.Outcome == outcome
                && (detail is null || t.Detail?.Contains(detail, StringComparison.Ordinal) == true))
            ? null
            : $"no history entry {journey} {step}: {outcome}" + (detail is null ? "" : $" mentioning \"{detail}\""));

    /// <summary>The journey's current run waits at <paramref name="step"/> until <paramref name="until"/>.</summary>
    public static Row ExpectWaiting(string step, string until) => new CheckRow(
        $"expect waiting at {step} until {until}",
        r => r.Instance() is not { } i ? NoInstance(r, null)
            : i.StepId != step || i.WakeAt != Times.Parse(until) ? $"the run is at {i.StepId} ({i.Status}) until {(i.WakeAt is { } w ? Times.Utc(w) : "nothing")}, not at {step} until {Times.Utc(Times.Parse(until))}"
            : null);

    public static Row ExpectNoRun() => new CheckRow(
        "expect no run",
        r => r.Instance() is { } i ? $"run {i.Run} exists ({i.Status}, at {i.StepId})" : null);

    public static Row ExpectTagged(string tag) => new CheckRow(
        $"expect tagged {tag}",
        r => r.Simulator.Profile?.Tags.Contains(tag) == true ? null : $"the customer's tags are [{string.Join(", ", r.Simulator.Profile?.Tags ?? [])}], without {tag}");

    public static Row ExpectNotTagged(string tag) => new CheckRow(
        $"expect not tagged {tag}",
        r => r.Simulator.Profile?.Tags.Contains(tag) == true ? $"the customer is tagged {tag}" : null);

    private static string NoInstance(ScenarioRun r, int? run) =>
        run is null ? $"the customer has no run of {r.Journey}" : $"the customer has no run {run} of {r.Journey}";
}
