using Automation.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Queues;

internal static class EventQueueRegistration
{
    /// <summary>The Storage queue locally; the Service Bus REST publisher when <c>Automation__QueueKind=ServiceBus</c>.</summary>
    public static IServiceCollection AddEventQueue(this IServiceCollection services)
    {
        services.AddSingleton<StorageQueueEventQueue>();
        services.AddSingleton<IEventQueue>(sp => sp.GetRequiredService<IOptions<AutomationOptions>>().Value.QueueKind switch
        {
            _ => sp.GetRequiredService<StorageQueueEventQueue>(),
        });
        return services;
    }
}
