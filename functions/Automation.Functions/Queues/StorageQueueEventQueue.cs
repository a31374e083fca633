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

    /// <summary>A Storage queue message holds 64 KiB once base64-encoded: 48 KiB of event.</summary>
    public const int MaxEventBytes = 48 * 1024;

    public async Task PublishAsync(IReadOnlyList<CustomerEvent> events, CancellationToken ct)
    {
        // Every event is checked before the first send, as Service Bus does, so a refused one queues nothing.
        var bodies = events.Select(e => (Event: e, Body: EventJson.Serialize(e))).ToList();
        if (bodies.FirstOrDefault(b => b.Body.Length > MaxEventBytes) is { Event: { } big } refused)
            throw new EventRefusedException(big.Id, $"Event {big.Id} of store {big.StoreId} cannot be queued: it is {refused.Body.Length} bytes; the local queue takes at most {MaxEventBytes}.");
        foreach (var (_, body) in bodies)
            await _queue.SendMessageAsync(new BinaryData(body), cancellationToken: ct);
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
