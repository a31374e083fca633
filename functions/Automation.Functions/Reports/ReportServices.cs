namespace Automation.Functions.Reports;

/// <summary>What journeys do and earn: per-step counts of sends and provider events, conversions and revenue.</summary>
public static class ReportServices
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSingleton<JourneyStats>();
        services.AddSingleton<JourneyActivity>();
        // Redemptions count at the step that issued the coupon (replaces the coupons' no-op default).
        services.AddSingleton<Coupons.ICouponRedemptionReport>(sp => sp.GetRequiredService<JourneyActivity>());
        return services;
    }

    /// <summary>Admin routes (behind <c>X-Api-Key</c>).</summary>
    public static RouteGroupBuilder MapReports(this RouteGroupBuilder keyed)
    {
        keyed.MapGet("/reports/{storeId}/journeys/{journeyId}", JourneyReportEndpoint.HandleAsync);
        return keyed;
    }
}
