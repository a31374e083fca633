using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Automation.Core.Journeys.Engine;

/// <summary>
/// One customer's run through one journey: where it is, what it waits for, what it has done and
/// why. Kept (with the others of the customer) in the customer's profile row, so the decision for
/// an event reads it with the profile in one point read. Persisted: names never change.
/// </summary>
public sealed record JourneyInstance
{
    public required string JourneyId { get; init; }
    public required int Version { get; init; }

    /// <summary>1 for the customer's first run of this journey, then 2, 3, …</summary>
    public required int Run { get; init; }

    public string Status { get; init; } = InstanceStatus.Active;
    public required string StepId { get; init; }
    public DateTimeOffset StepEnteredAt { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }

    /// <summary>What the current step waits for: <c>timer</c>, <c>event</c> (with a timer for its timeout) or <c>result</c>.</summary>
    public string? Waiting { get; init; }

    /// <summary>The token of the one timer that may wake this instance; any other fires to no effect.</summary>
    public string? Token { get; init; }
    public DateTimeOffset? WakeAt { get; init; }

    /// <summary>The outbox action whose result the current step waits for.</summary>
    public string? AwaitingAction { get; init; }

    /// <summary>Counter behind timer tokens and action ids, so a repeated decision repeats its ids.</summary>
    public int Seq { get; init; }

    /// <summary>The split path taken (or <c>holdout</c>): the group its conversion counts for.</summary>
    public string? Group { get; init; }

    public bool HeldOut => Group == InstanceStatus.HoldoutGroup;

    public required EventRef Trigger { get; init; }

    /// <summary>Events the instance waited for, by the waitForEvent step that received them.</summary>
    public ImmutableSortedDictionary<string, EventRef> Received { get; init; } = ImmutableSortedDictionary.Create<string, EventRef>(StringComparer.Ordinal);

    /// <summary>Coupons issued for this run, by the issueCoupon step that asked for them.</summary>
    public ImmutableSortedDictionary<string, IssuedCoupon> Coupons { get; init; } = ImmutableSortedDictionary.Create<string, IssuedCoupon>(StringComparer.Ordinal);

    public Conversion? Conversion { get; init; }

    /// <summary>Steps taken and why each acted or did not, newest last, capped at <see cref="MaxHistory"/>.</summary>
    public ImmutableList<HistoryEntry> History { get; init; } = [];

    public const int MaxHistory = 100;

    public bool IsActive => Status == InstanceStatus.Active;
}

public static class InstanceStatus
{
    public const string Active = "active", Completed = "completed", Converted = "converted", Exited = "exited";
    public const string HoldoutGroup = "holdout";
    public const string WaitTimer = "timer", WaitEvent = "event", WaitResult = "result";
}

/// <summary>What the instance needs to know of an event it started on or waited for. No personal data.</summary>
public sealed record EventRef(string Id, string Type, DateTimeOffset At, string? OrderId = null, decimal? Total = null, JsonObject? Data = null);

/// <summary>A coupon handed to the customer: its code and what it is worth. Either <see cref="PercentOff"/> or <see cref="AmountOff"/> (in <see cref="Currency"/>) gives the value.</summary>
public sealed record IssuedCoupon(string Code, decimal PercentOff, DateTimeOffset ExpiresAt)
{
    public decimal? AmountOff { get; init; }
    public string? Currency { get; init; }

    /// <summary>Smallest order total (store currency) the code applies to.</summary>
    public decimal? MinimumOrder { get; init; }
}

/// <summary>A goal reached: what the journey earned, and whether its coupon was used.</summary>
public sealed record Conversion(string Goal, DateTimeOffset At, string EventId, string? OrderId, decimal? Revenue, string? Currency, string? Coupon, string? Group)
{
    /// <summary>The <c>issueCoupon</c> step that issued <see cref="Coupon"/>: the step the revenue is attributed to.</summary>
    public string? CouponStep { get; init; }
}

/// <param name="Outcome">What happened, e.g. <c>entered</c>, <c>waiting</c>, <c>emailQueued</c>, <c>skipped</c>; see docs/journeys.md.</param>
/// <param name="Detail">Why, in words (the reason a step did not act, the branch taken, the time waited for).</param>
public sealed record HistoryEntry(DateTimeOffset At, string Step, string Outcome, string? Detail = null);

/// <summary>Every journey instance of one customer, by journey id (the active run or the last one).</summary>
public sealed record JourneyStates
{
    public int SchemaVersion { get; init; } = 1;

    public ImmutableSortedDictionary<string, JourneyInstance> Instances { get; init; } =
        ImmutableSortedDictionary.Create<string, JourneyInstance>(StringComparer.Ordinal);

    public static readonly JourneyStates Empty = new();
}
