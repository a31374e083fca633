using Automation.Functions.Broadcasts;
using Automation.Functions.Audience;
using Automation.Functions.Coupons;
using Automation.Functions.Customers;
using Automation.Functions.Dev;
using Automation.Functions.Email;
using Automation.Functions.Events;
using Automation.Functions.Health;
using Automation.Functions.Holidays;
using Automation.Functions.Journeys;
using Automation.Functions.Journeys.Outbox;
using Automation.Functions.Notifications;
using Automation.Functions.Queues;
using Automation.Functions.Recipients;
using Automation.Functions.Reports;
using Automation.Functions.Storage;
using Automation.Functions.Webhooks;
using Automation.Functions.Webhooks.SendGrid;
using Automation.Functions.Webhooks.Shopify;
using Automation.Functions.Webhooks.WooCommerce;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Hosting;

/// <summary>The composition root: configuration, services and routes. Tests build the same app.</summary>
public static class AutomationApp
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <param name="configure">Lets tests add settings and replace services (the clock) before the app is built.</param>
    /// <param name="readLocalSettings">False in tests, so a developer's local.settings.json cannot leak into them.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, bool readLocalSettings = true)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (readLocalSettings && LocalSettingsConfigurationSource.Find(Directory.GetCurrentDirectory()) is { } localSettings)
        {
            // Functions tooling lets real environment variables win over local.settings.json.
            builder.Configuration.Sources.Insert(0, new LocalSettingsConfigurationSource(localSettings));
        }
        builder.WebHost.UseUrls(ListenUrl(builder.Configuration));
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        // Per-request framework lines drown our own; raise them with Logging__LogLevel__Microsoft.AspNetCore.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Azure.Core", LogLevel.Warning);
        if (builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] is { Length: > 0 })
        {
            // Under the Functions host each line of our output becomes one trace in Application Insights:
            // one line per entry, no colour codes. The host logs standard output at Information and standard
            // error as errors, so warnings and worse go to standard error to keep their weight there.
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.ColorBehavior = Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Disabled;
            });
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Warning);
        }

        AddServices(builder.Services);
        configure?.Invoke(builder);
        builder.Services.AddSingleton(KeyVaultReferenceCheck.Neutralise(builder.Configuration, builder.Configuration));
        var virtualClock = builder.Configuration[$"{AutomationOptions.Section}:Clock"] == "Virtual";

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        MapRoutes(app, virtualClock);
        return app;
    }

    private static string ListenUrl(IConfiguration config) =>
        config["FUNCTIONS_CUSTOMHANDLER_PORT"] is { Length: > 0 } port ? $"http://127.0.0.1:{port}"
        : config["urls"] ?? config["ASPNETCORE_URLS"] ?? DefaultUrl;

    private static void AddServices(IServiceCollection services)
    {
        services.AddOptions<AutomationOptions>().BindConfiguration(AutomationOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AutomationOptions>, OptionsValidation>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });

        // The composition root is the one place that picks the clock.
        services.AddSingleton<VirtualClock>(_ => new VirtualClock(TimeProvider.System));
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<IOptions<AutomationOptions>>().Value.Clock == "Virtual"
            ? sp.GetRequiredService<VirtualClock>() : TimeProvider.System);
        services.AddSingleton<IClockMover, VirtualClockMover>();
        services.AddSingleton<StorageOperationCounter>();
        services.AddSingleton<StorageClients>();
        services.AddSingleton<CustomerTable>();
        services.AddSingleton<EmailIndex>();
        services.AddSingleton<AudienceIndex>();
        services.AddSingleton<AudienceRebuild>();
        services.AddSingleton<OrderIndex>();
        services.AddSingleton<ParkedMessages>();
        services.AddSingleton<StoreDirectory>();
        services.AddSingleton<RequestBody>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddSingleton<EventProcessor>();
        services.AddSingleton<WebhookIngestion>();
        services.AddSingleton<StorageQueueConsumer>();
        services.AddEventQueue();
        services.AddSingleton(_ => JourneyFiles.LoadCatalog());
        services.AddSingleton<JourneyStore>();
        services.AddSingleton<TimerTable>();
        services.AddSingleton<Messaging.MarketingQuota>();
        services.AddSingleton<DataErasure>();
        services.AddSingleton<TimerSweeper>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddCoupons();
        services.AddEmail();
        services.AddRecipients();
        services.AddSendGridEvents();
        services.AddReports();
        services.AddHolidays();
        services.AddBroadcasts();
        services.AddHttpClient<WebhookNotifier>();
        services.AddHostedService<KeyVaultReferenceCheck>();
        services.AddHostedService<StorageInitializer>();
        services.AddSingleton<VirtualClockStore>();
        services.AddHostedService(sp => sp.GetRequiredService<VirtualClockStore>());
        services.AddHostedService<ShippedJourneyInstaller>();
        services.AddHostedService<LocalConsumerLoop>();
        services.AddHostedService<LocalSweeperLoop>();
    }

    private static void MapRoutes(WebApplication app, bool virtualClock)
    {
        app.MapPost("/" + TimerTriggerEndpoint.FunctionName, TimerTriggerEndpoint.HandleAsync);
        app.MapPost("/" + ServiceBusTriggerEndpoint.FunctionName, ServiceBusTriggerEndpoint.HandleAsync);
        app.MapPost("/" + Housekeeping.HousekeepingEndpoint.FunctionName, Housekeeping.HousekeepingEndpoint.HandleAsync);
        app.MapBroadcastTriggers();
        var api = app.MapGroup("/api");
        api.MapGet("/health", HealthEndpoint.HandleAsync);
        api.MapPost("/webhooks/shopify/{storeId}", ShopifyWebhookEndpoint.HandleAsync);
        api.MapPost("/webhooks/woocommerce/{storeId}", WooCommerceWebhookEndpoint.HandleAsync);
        api.MapSendGridEvents();
        api.MapRecipientPages();

        var keyed = api.MapGroup("").AddEndpointFilter<ApiKeyFilter>();
        keyed.MapPost("/events/{storeId}", EventsEndpoint.HandleAsync);
        keyed.MapGet("/customers/{storeId}/{customerId}", CustomerEndpoints.ByIdAsync);
        keyed.MapPost("/customers/{storeId}/lookup", CustomerEndpoints.LookupAsync);
        keyed.MapGet("/parked", async (ParkedMessages parked, CancellationToken ct, int? max) =>
            Results.Ok(await parked.ListAsync(Math.Clamp(max ?? 100, 1, 1000), ct)));
        if (virtualClock) keyed.MapDevClock();
        keyed.MapJourneys();
        keyed.MapGet("/customers/{storeId}/{customerId}/journeys", CustomerJourneysEndpoint.HandleAsync);
        keyed.MapOutbox();
        keyed.MapCoupons();
        keyed.MapSuppressions();
        keyed.MapReports();
        keyed.MapHolidays();
        keyed.MapAudience();
        keyed.MapBroadcasts();
    }
}
