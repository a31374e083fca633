namespace Automation.Functions.Webhooks.SendGrid;

/// <summary>SendGrid's Event Webhook: <c>POST /api/webhooks/sendgrid</c>.</summary>
public static class SendGridEventServices
{
    public static IServiceCollection AddSendGridEvents(this IServiceCollection services) => services;

    public static RouteGroupBuilder MapSendGridEvents(this RouteGroupBuilder api) => api;
}
