using Automation.Functions.Suppression;

namespace Automation.Functions.Recipients;

/// <summary>The recipient's side: signed links, the unsubscribe and survey pages, and the suppression list.</summary>
public static class RecipientServices
{
    public static IServiceCollection AddRecipients(this IServiceCollection services)
    {
        services.AddOptions<LinkOptions>().BindConfiguration(LinkOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<LinkOptions>, LinkOptionsValidation>();
        services.AddSingleton<LinkTokens>();
        services.AddSingleton<SuppressionList>();
        return services;
    }

    /// <summary>Pages recipients open from emails: no API key, the signed token is the authority.</summary>
    public static RouteGroupBuilder MapRecipientPages(this RouteGroupBuilder api)
    {
        api.MapGet("/r/unsubscribe/{token}", UnsubscribePage.GetAsync);
        api.MapPost("/r/unsubscribe/{token}", UnsubscribePage.PostAsync);
        api.MapGet("/r/survey/{token}", SurveyPage.GetAsync);
        api.MapPost("/r/survey/{token}", SurveyPage.PostAsync);
        return api;
    }

    /// <summary>The admin block list and suppression list (behind <c>X-Api-Key</c>).</summary>
    public static RouteGroupBuilder MapSuppressions(this RouteGroupBuilder keyed)
    {
        keyed.MapGet("/suppressions/{storeId}", SuppressionEndpoints.ListAsync);
        keyed.MapPost("/suppressions/{storeId}", SuppressionEndpoints.AddAsync);
        keyed.MapPost("/suppressions/{storeId}/lift", SuppressionEndpoints.LiftAsync);
        return keyed;
    }
}
