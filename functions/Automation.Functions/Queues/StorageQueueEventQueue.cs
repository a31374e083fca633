using Automation.Core.Events;
using Automation.Functions.Hosting;
using Automation.Functions.Storage;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Queues;

/// <summary>The local stand-in for Service Bus: an Azure Storage queue (Azurite).</summary>
public sealed class StorageQueueEventQueue(StorageClients clients, IOptions<AutomationOptions> options) : IEventQueue
{
    private readonly QueueClient _queue = clients.Queue(options.Value.EventsQueueName);

    public async Task PublishAsync(IReadOnlyList<CustomerEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
            await _queue.SendMessageAsync(new BinaryData(EventJson.Serialize(e)), cancellationToken: ct);
    }

    public async Task<string?> CheckAsync(CancellationToken ct)
    {
        try
        {
            await _queue.GetPropertiesAsync(ct);
            return null;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException or TaskCanceledException)
        {
            return $"queue '{_queue.Name}' is not reachable: {ex.Message.Split('\n')[0]}";
        }
    }
}
