namespace Automation.Functions.Coupons;

/// <summary>Coupons: generated codes and uploaded pools, the store's coupon check, redemption.</summary>
public static class CouponServices
{
    public static IServiceCollection AddCoupons(this IServiceCollection services)
    {
        services.AddSingleton<ICouponIssuer, LocalCouponIssuer>();
        return services;
    }

    /// <summary>Admin and store routes (behind <c>X-Api-Key</c>).</summary>
    public static RouteGroupBuilder MapCoupons(this RouteGroupBuilder keyed) => keyed;
}
