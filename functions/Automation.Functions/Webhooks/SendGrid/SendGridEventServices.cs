using Automation.Functions.Email;

namespace Automation.Functions.Webhooks.SendGrid;

/// <summary>SendGrid's Event Webhook: <c>POST /api/webhooks/sendgrid</c>.</summary>
public static class SendGridEventServices
{
    public static IServiceCollection AddSendGridEvents(this IServiceCollection services)
    {
        services.AddOptions<SendGridOptions>().BindConfiguration(SendGridOptions.Section);
        services.AddSingleton<SendGridSignature>();
        services.AddSingleton<ProviderEventLog>();
        services.AddSingleton<SendGridEventApplier>();
        return services;
    }

    public static RouteGroupBuilder MapSendGridEvents(this RouteGroupBuilder api)
    {
        api.MapPost("/webhooks/sendgrid", SendGridEventEndpoint.HandleAsync);
        return api;
    }
}
