using Automation.Core.Events;

namespace Automation.Functions.Coupons;

/// <summary>
/// Where a redemption's revenue goes beyond the coupon row: per-journey, per-step report counters.
/// The default does nothing; the reports feature replaces it (<c>services.AddSingleton&lt;ICouponRedemptionReport, …&gt;()</c>).
/// Called once per code and order; a retry after a crash may call it again for the same order.
/// </summary>
public interface ICouponRedemptionReport
{
    Task RecordAsync(CouponRecord redeemed, CancellationToken ct);
}

internal sealed class NoRedemptionReport : ICouponRedemptionReport
{
    public Task RecordAsync(CouponRecord redeemed, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// An order that used a code we issued marks it redeemed, with the order and its total. Runs after the
/// order event is committed (and again on its redelivery, so a crash in between loses nothing); one
/// point read per discount code, nothing for orders without codes.
/// </summary>
public sealed class CouponRedemptions(CouponTable table, ICouponRedemptionReport report, ILogger<CouponRedemptions> log)
{
    public async Task AfterOrderAsync(CustomerEvent e, CancellationToken ct)
    {
        if (e.Type is not (EventTypes.OrderPlaced or EventTypes.OrderPaid) || e.Order is not { DiscountCodes.Count: > 0 } order) return;
        foreach (var code in order.DiscountCodes!.Where(CouponTable.IsCode).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (await table.RedeemAsync(e.StoreId, code, order.OrderId, order.Total, e.OccurredAt, ct) is not { } redeemed) continue;
            Log.CouponRedeemed(log, redeemed.ActionKey, e.StoreId, order.OrderId, redeemed.JourneyId, redeemed.StepId);
            // INTEGRATION POINT (reports): revenue per journey and step comes from here.
            await report.RecordAsync(redeemed, ct);
        }
    }
}
