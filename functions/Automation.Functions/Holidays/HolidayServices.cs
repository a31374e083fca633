namespace Automation.Functions.Holidays;

/// <summary>Holiday calendars: the shipped defaults, the stores' edits, and the API over them.</summary>
public static class HolidayServices
{
    public static IServiceCollection AddHolidays(this IServiceCollection services)
    {
        services.AddSingleton(_ => HolidayDefaults.Load());
        services.AddSingleton<HolidayTable>();
        services.AddSingleton<StoreCalendars>();
        services.AddHostedService<HolidayDefaultsCheck>();
        return services;
    }
}
