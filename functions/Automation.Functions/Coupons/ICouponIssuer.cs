using Automation.Core.Journeys.Engine;

namespace Automation.Functions.Coupons;

/// <summary>What issuing a coupon gave: a code, or why there is none.</summary>
/// <param name="Transient">The failure may pass (a timeout, a 5xx): retry later rather than give up.</param>
public sealed record CouponResult(string? Code, string? Failure = null, bool Transient = false);

/// <summary>Issues one coupon for an <c>issueCoupon</c> action. Must be idempotent per action key (unique across customers): a retry after a crash gives the same code.</summary>
public interface ICouponIssuer
{
    Task<CouponResult> IssueAsync(string storeId, string actionKey, JourneyAction action, CancellationToken ct);
}
