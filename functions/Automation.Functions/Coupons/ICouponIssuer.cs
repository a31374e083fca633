using Automation.Core.Journeys.Engine;

namespace Automation.Functions.Coupons;

/// <summary>What issuing a coupon gave: a code, or why there is none.</summary>
/// <param name="Transient">The failure may pass (a timeout, a 5xx): retry later rather than give up.</param>
public sealed record CouponResult(string? Code, string? Failure = null, bool Transient = false)
{
    public static CouponResult Failed(string reason, bool transient = false) => new(null, reason, transient);
}

/// <summary>One <c>issueCoupon</c> action to carry out.</summary>
/// <param name="ActionKey">Unique across stores and customers (<see cref="Journeys.Outbox.ActionKey"/>): the idempotency key of the issue.</param>
public sealed record CouponRequest(string StoreId, string CustomerKey, string ActionKey, JourneyAction Action);

/// <summary>Issues one coupon for an <c>issueCoupon</c> action. Idempotent per action key: a retry after a crash gives the same code.</summary>
public interface ICouponIssuer
{
    Task<CouponResult> IssueAsync(CouponRequest request, CancellationToken ct);
}
