using Automation.Functions.Hosting;
using Automation.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Queues;

internal static class EventQueueRegistration
{
    /// <summary>The Storage queue locally; the Service Bus REST publisher when <c>Automation__QueueKind=ServiceBus</c>.</summary>
    public static IServiceCollection AddEventQueue(this IServiceCollection services)
    {
        services.AddOptions<ServiceBusOptions>().BindConfiguration(ServiceBusOptions.Section);
        services.AddSingleton<StorageQueueEventQueue>();
        // One instance: it caches the Entra or SAS token between sends.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value;
            var config = sp.GetRequiredService<IConfiguration>();
            var credential = options.UsesSas ? null : AzureIdentity.Credential(config);
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
            return new ServiceBusEventQueue(http, options, credential, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IEventQueue>(sp => sp.GetRequiredService<IOptions<AutomationOptions>>().Value.QueueKind == "ServiceBus"
            ? sp.GetRequiredService<ServiceBusEventQueue>()
            : sp.GetRequiredService<StorageQueueEventQueue>());
        return services;
    }
}
