using Automation.Functions.Journeys;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Email;

/// <summary>Email: the sender (SendGrid when a key is configured, otherwise captured), rendering, and the captured-outbox API.</summary>
public static class EmailServices
{
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.Section);
        services.AddSingleton(_ => new EmailTemplates(JourneyFiles.TemplatesDirectory));
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<CapturedEmails>();
        services.AddSingleton<CapturingEmailSender>();
        services.AddHttpClient<SendGridSender>();
        services.AddHttpClient<SendGridBatchSender>(); // broadcasts; SendGrid only (a batch is not captured)
        services.AddSingleton<IEmailSender>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<SendGridOptions>>().Value.ApiKey)
            ? sp.GetRequiredService<CapturingEmailSender>()
            : sp.GetRequiredService<SendGridSender>());
        return services;
    }

    /// <summary>Admin routes (behind <c>X-Api-Key</c>).</summary>
    public static RouteGroupBuilder MapOutbox(this RouteGroupBuilder keyed)
    {
        keyed.MapGet("/outbox", OutboxEndpoint.ListAsync);
        return keyed;
    }
}
