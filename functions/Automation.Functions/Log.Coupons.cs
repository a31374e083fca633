namespace Automation.Functions;

/// <summary>Coupons (8000–8099). Codes are not secrets once issued, but are still left out: actions appear by their key.</summary>
internal static partial class Log
{
    [LoggerMessage(8000, LogLevel.Information, "Coupon for action {ActionKey} issued (store {StoreId}, pool {Pool}, source {Source})")]
    public static partial void CouponIssued(ILogger logger, string actionKey, string storeId, string pool, string source);

    [LoggerMessage(8001, LogLevel.Warning, "Coupon for action {ActionKey} not issued (store {StoreId}, pool {Pool}, transient {Transient}): {Reason}")]
    public static partial void CouponNotIssued(ILogger logger, string actionKey, string storeId, string pool, string reason, bool transient);

    [LoggerMessage(8002, LogLevel.Information, "Coupon pool {Pool} of store {StoreId}: {Added} code(s) added, {Duplicates} duplicate(s), {Invalid} invalid line(s)")]
    public static partial void CouponPoolUploaded(ILogger logger, string storeId, string pool, int added, int duplicates, int invalid);

    [LoggerMessage(8003, LogLevel.Information, "Coupon of action {ActionKey} redeemed by order {OrderId} (store {StoreId}, journey {Journey}, step {Step})")]
    public static partial void CouponRedeemed(ILogger logger, string actionKey, string storeId, string orderId, string journey, string step);

    [LoggerMessage(8004, LogLevel.Error, "The coupon pools in journeys/catalog.json are invalid: {Problems}")]
    public static partial void CouponCatalogInvalid(ILogger logger, string problems);
}
