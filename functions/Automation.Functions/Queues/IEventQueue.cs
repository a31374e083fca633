using Automation.Core.Events;

namespace Automation.Functions.Queues;

/// <summary>
/// Where canonical events go to be processed off the request: an Azure Storage queue locally,
/// the Service Bus queue (session id = customer partition, message id = event id) in Azure.
/// </summary>
public interface IEventQueue
{
    /// <summary>Queues every event or throws; a partial failure is retried whole by the sender,
    /// which is safe because the consumer applies each event id once.</summary>
    Task PublishAsync(IReadOnlyList<CustomerEvent> events, CancellationToken ct);

    /// <summary>Null when the queue is reachable, otherwise why not (for /api/health).</summary>
    Task<string?> CheckAsync(CancellationToken ct);
}
