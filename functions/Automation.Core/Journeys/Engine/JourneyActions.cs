using System.Text.Json.Nodes;

namespace Automation.Core.Journeys.Engine;

/// <summary>
/// A side effect the engine decided on. Written to the outbox in the same transaction as the
/// decision and dispatched afterwards; its result comes back as an event naming <see cref="Id"/>.
/// Persisted in outbox rows: names never change.
/// </summary>
/// <param name="Id">Deterministic (<c>{journey}.{run}.{seq}</c>), so a decision made twice makes the same action.</param>
/// <param name="Kind"><see cref="ActionKinds"/>.</param>
public sealed record JourneyAction(
    string Id,
    string Kind,
    string JourneyId,
    int Version,
    int Run,
    string StepId,
    DateTimeOffset CreatedAt)
{
    public int SchemaVersion { get; init; } = 1;

    // issueCoupon
    public string? Pool { get; init; }
    public decimal? PercentOff { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public string? Prefix { get; init; }
    public decimal? AmountOff { get; init; }
    public string? Currency { get; init; }
    public decimal? MinimumOrder { get; init; }

    /// <summary><c>generated</c> (our codes) or <c>pool</c> (codes the store uploaded).</summary>
    public string? CouponSource { get; init; }

    // sendEmail
    public string? Template { get; init; }
    public string? Category { get; init; }
    public string? Delivery { get; init; }
    public IssuedCoupon? Coupon { get; init; }

    // notify
    public string? Webhook { get; init; }
    public JsonObject? Body { get; init; }
}

public static class ActionKinds
{
    public const string IssueCoupon = "issueCoupon", SendEmail = "sendEmail", Notify = "notify";
}

/// <summary>A wake-up for one instance at <see cref="DueAt"/>, valid only while the instance still holds <see cref="Token"/>.</summary>
public sealed record JourneyTimer(string JourneyId, string Token, DateTimeOffset DueAt);

/// <summary>The data of a <c>coupon.issued</c> result, shared by the outbox and the preview so both carry the same value.</summary>
public static class CouponResults
{
    /// <summary>The code and what the action promised: <c>percentOff</c> or <c>amountOff</c> with <c>currency</c>, <c>minimumOrder</c>, <c>expiresAt</c>.</summary>
    public static JsonObject Issued(JourneyAction action, string code)
    {
        var details = new JsonObject { ["code"] = code, ["source"] = action.CouponSource ?? Definitions.CouponSources.Generated, ["pool"] = action.Pool };
        if (action.AmountOff is { } amount) details["amountOff"] = amount;
        else details["percentOff"] = action.PercentOff;
        if (action.Currency is { } currency) details["currency"] = currency;
        if (action.MinimumOrder is { } minimum) details["minimumOrder"] = minimum;
        details["expiresAt"] = action.ExpiresAt;
        return details;
    }
}
