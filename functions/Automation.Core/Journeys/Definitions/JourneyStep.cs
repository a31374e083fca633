using System.Text.Json.Serialization;
using Automation.Core.Journeys.Conditions;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// One step. A flat record: which members a step may carry depends on its <see cref="Type"/>
/// (see <see cref="StepTypes"/> and docs/journeys.md); the validator refuses the others.
/// </summary>
public sealed record JourneyStep
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }

    /// <summary>Where to go when this step is done (every step but <c>exit</c>, <c>branch</c> and <c>split</c>).</summary>
    [JsonPropertyName("next")] public string? Next { get; init; }

    // wait
    [JsonPropertyName("duration")] public string? Duration { get; init; }

    // waitUntil: a local time of day, a date, or an offset from a named holiday
    [JsonPropertyName("timeOfDay")] public string? TimeOfDay { get; init; }
    [JsonPropertyName("date")] public string? Date { get; init; }
    [JsonPropertyName("holiday")] public string? Holiday { get; init; }
    [JsonPropertyName("offset")] public string? Offset { get; init; }

    // waitForEvent
    [JsonPropertyName("event")] public string? Event { get; init; }
    [JsonPropertyName("condition")] public Condition? Condition { get; init; }
    [JsonPropertyName("timeout")] public string? Timeout { get; init; }
    [JsonPropertyName("onTimeout")] public string? OnTimeout { get; init; }

    /// <summary>Only an event about the order that started the instance matches (a delivery of that order).</summary>
    [JsonPropertyName("sameOrder")] public bool? SameOrder { get; init; }

    // branch
    [JsonPropertyName("branches")] public IReadOnlyList<BranchCase>? Branches { get; init; }
    [JsonPropertyName("otherwise")] public string? Otherwise { get; init; }

    // split
    [JsonPropertyName("paths")] public IReadOnlyList<SplitPath>? Paths { get; init; }
    [JsonPropertyName("holdout")] public SplitHoldout? Holdout { get; init; }

    // issueCoupon
    [JsonPropertyName("pool")] public string? Pool { get; init; }
    [JsonPropertyName("validFor")] public string? ValidFor { get; init; }
    [JsonPropertyName("onFailure")] public string? OnFailure { get; init; }

    // sendEmail
    [JsonPropertyName("template")] public string? Template { get; init; }

    /// <summary>The id of an earlier <c>issueCoupon</c> step whose code the email carries.</summary>
    [JsonPropertyName("coupon")] public string? Coupon { get; init; }

    /// <summary><c>marketing</c> (default; needs consent) or <c>service</c> (asked for by the customer, e.g. a survey).</summary>
    [JsonPropertyName("category")] public string? Category { get; init; }

    /// <summary><c>atMostOnce</c> (default) or <c>atLeastOnce</c>: what a send interrupted by a crash does.</summary>
    [JsonPropertyName("delivery")] public string? Delivery { get; init; }

    /// <summary><c>defer</c> (default): a capped email waits for the earliest allowed time; <c>skip</c>: it is not sent. Quiet hours always defer.</summary>
    [JsonPropertyName("whenCapped")] public string? WhenCapped { get; init; }

    // notify
    [JsonPropertyName("webhook")] public string? Webhook { get; init; }

    // updateProfile
    [JsonPropertyName("addTags")] public IReadOnlyList<string>? AddTags { get; init; }
    [JsonPropertyName("removeTags")] public IReadOnlyList<string>? RemoveTags { get; init; }

    /// <summary>Every step this one can lead to, in order, with what leads there.</summary>
    public IEnumerable<(string Target, string Member)> Exits()
    {
        if (Next is { } n) yield return (n, "next");
        if (OnTimeout is { } t) yield return (t, "onTimeout");
        if (OnFailure is { } f) yield return (f, "onFailure");
        if (Otherwise is { } o) yield return (o, "otherwise");
        for (var i = 0; i < (Branches?.Count ?? 0); i++)
            if (Branches![i]?.Next is { } b) yield return (b, $"branches[{i}].next");
        for (var i = 0; i < (Paths?.Count ?? 0); i++)
            if (Paths![i]?.Next is { } p) yield return (p, $"paths[{i}].next");
        if (Holdout?.Next is { } h) yield return (h, "holdout.next");
    }
}

public sealed record BranchCase
{
    [JsonPropertyName("condition")] public required Condition Condition { get; init; }
    [JsonPropertyName("next")] public required string Next { get; init; }
}

/// <summary>One arm of an A/B split; <see cref="Id"/> names the group in conversions.</summary>
public sealed record SplitPath
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("weight")] public required int Weight { get; init; }
    [JsonPropertyName("next")] public required string Next { get; init; }
}

/// <summary>
/// The control group: <see cref="Weight"/> out of the total go on to <see cref="Next"/> (the
/// first path's step when absent) but receive nothing: their emails, coupons and notifications
/// are recorded as held out, and their goals still count, so the lift can be measured.
/// </summary>
public sealed record SplitHoldout
{
    [JsonPropertyName("weight")] public required int Weight { get; init; }
    [JsonPropertyName("next")] public string? Next { get; init; }
}

/// <summary>Step type names, persisted in definitions: they never change.</summary>
public static class StepTypes
{
    public const string Wait = "wait", WaitUntil = "waitUntil", WaitForEvent = "waitForEvent";
    public const string Branch = "branch", Split = "split";
    public const string IssueCoupon = "issueCoupon", SendEmail = "sendEmail", Notify = "notify";
    public const string UpdateProfile = "updateProfile", Exit = "exit";

    public static readonly IReadOnlyList<string> All =
        [Wait, WaitUntil, WaitForEvent, Branch, Split, IssueCoupon, SendEmail, Notify, UpdateProfile, Exit];

    /// <summary>Steps after which the instance waits for time or an event; a cycle needs one.</summary>
    public static bool Waits(string type) => type is Wait or WaitUntil or WaitForEvent;

    public const string Marketing = "marketing", Service = "service";
    public const string AtMostOnce = "atMostOnce", AtLeastOnce = "atLeastOnce";
    public const string Defer = "defer", Skip = "skip";
}
