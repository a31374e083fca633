using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Automation.Functions.Coupons;

/// <summary>Coupons: generated codes and uploaded pools, the store's coupon check, redemption.</summary>
public static class CouponServices
{
    public static IServiceCollection AddCoupons(this IServiceCollection services)
    {
        services.AddOptions<CouponOptions>().BindConfiguration(CouponOptions.Section);
        services.AddSingleton<CouponCodes>();
        services.AddSingleton<CouponTable>();
        services.AddSingleton<CouponPools>();
        services.AddHttpClient<CouponWebhook>();
        services.AddSingleton<ICouponIssuer, CouponIssuer>();
        services.AddSingleton<CouponRedemptions>();
        services.TryAddSingleton<ICouponRedemptionReport, NoRedemptionReport>();
        services.AddHostedService<CouponCatalogCheck>();
        return services;
    }

    /// <summary>Admin and store routes (behind <c>X-Api-Key</c>).</summary>
    public static RouteGroupBuilder MapCoupons(this RouteGroupBuilder keyed)
    {
        keyed.MapGet("/coupons/{storeId}/pools/{pool}", CouponEndpoints.PoolAsync);
        keyed.MapPost("/coupons/{storeId}/pools/{pool}", CouponEndpoints.UploadAsync);
        keyed.MapGet("/coupons/{storeId}/{code}", CouponEndpoints.CheckAsync);
        return keyed;
    }
}
