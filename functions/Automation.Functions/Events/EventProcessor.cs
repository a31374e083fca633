using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Functions.Hosting;
using Automation.Functions.Storage;

namespace Automation.Functions.Events;

/// <summary>How processing one event ended.</summary>
public enum ProcessOutcome
{
    Applied,

    /// <summary>The event was applied before (a redelivery); nothing changed.</summary>
    Duplicate,
}

/// <summary>A message that can never succeed, however often it is retried: it is parked at once.</summary>
public sealed class PermanentEventFailure(string reason) : Exception(reason);

/// <summary>
/// Applies one event to its customer's partition: one point read, a pure decision, one entity
/// group transaction guarded by the profile's ETag with the processed-event marker inside it.
/// A lost race (412) reads and decides again; a redelivered event finds its marker and stops.
/// </summary>
public sealed class EventProcessor(CustomerTable customers, EmailIndex emails, OrderIndex orders, StoreDirectory stores, TimeProvider time, ILogger<EventProcessor> log)
{
    /// <summary>Lost races tolerated before giving up; each round one contender wins.</summary>
    private const int MaxAttempts = 50;

    /// <summary>Partition of the store-level events (shop redaction).</summary>
    public const string ShopCustomerKey = "_shop";

    public async Task<ProcessOutcome> ProcessAsync(CustomerEvent e, CancellationToken ct)
    {
        if (!stores.TryGet(e.StoreId, out _))
            throw new PermanentEventFailure($"store '{e.StoreId}' is not configured");
        var store = stores.Settings(e.StoreId);
        e = await ResolveOrderReferenceAsync(e, ct);
        var partition = CustomerKey.Partition(e.StoreId, e.CustomerKey);

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (current, etag) = await customers.ReadProfileAsync(partition, ct);
            var now = time.GetUtcNow();
            var change = ProfileReducer.Apply(current, e, store, now);

            await BeforeCommitAsync(e, current, change.Profile, ct);
            switch (await customers.CommitAsync(partition, change.Profile, etag, e, now, ct))
            {
                case CommitResult.Committed:
                    Log.EventApplied(log, e.Id, e.Type, e.StoreId, attempt, change.IgnoredReason ?? "applied");
                    return ProcessOutcome.Applied;
                case CommitResult.Duplicate:
                    Log.EventDuplicate(log, e.Id, e.StoreId);
                    return ProcessOutcome.Duplicate;
                default:
                    Log.EventConflict(log, e.Id, attempt);
                    continue;
            }
        }
        throw new InvalidOperationException($"Event {e.Id} lost {MaxAttempts} races for its customer's profile.");
    }

    /// <summary>
    /// An event that names only its order (a Shopify refund or delivery) belongs to whoever placed
    /// it. Until that order has been seen the event cannot be applied: it fails and the queue
    /// redelivers it, so a delivery that overtakes its order waits for it, and one whose order
    /// never comes is parked with this reason after the last delivery.
    /// </summary>
    private async Task<CustomerEvent> ResolveOrderReferenceAsync(CustomerEvent e, CancellationToken ct)
    {
        if (!CustomerKey.IsOrderReference(e.CustomerKey, out var orderId)) return e;
        var owner = await orders.FindAsync(e.StoreId, orderId, ct)
            ?? throw new InvalidOperationException($"order {orderId} has not been seen yet, so its {e.Type} event cannot be given to a customer");
        return e with { CustomerKey = owner };
    }

    /// <summary>
    /// Work outside the partition that must precede the commit, all of it idempotent so that a
    /// retry after a crash or a lost race repeats it harmlessly: erasure, and the email index.
    /// </summary>
    private async Task BeforeCommitAsync(CustomerEvent e, CustomerProfile? before, CustomerProfile after, CancellationToken ct)
    {
        switch (e.Type)
        {
            case EventTypes.ShopRedacted:
                await customers.DeleteStoreAsync(e.StoreId, keep: CustomerKey.Partition(e.StoreId, e.CustomerKey), ct);
                await emails.DeleteStoreAsync(e.StoreId, ct);
                await orders.DeleteStoreAsync(e.StoreId, ct);
                return;
            case EventTypes.CustomerRedacted:
                await customers.DeleteCustomerDataAsync(CustomerKey.Partition(e.StoreId, e.CustomerKey), ct);
                if (before?.Email is { } erased) await emails.RemoveAsync(e.StoreId, erased, e.CustomerKey, ct);
                if (before is not null) await orders.RemoveAsync(e.StoreId, before.Orders.Keys, ct);
                return;
        }
        if (e is { Source: "shopify", Order: { } order } && before?.Orders.ContainsKey(order.OrderId) != true)
            await orders.AddAsync(e.StoreId, order.OrderId, e.CustomerKey, ct);
        if (after.Email is { } email && !string.Equals(EmailAddress.Normalise(email), EmailAddress.Normalise(before?.Email), StringComparison.Ordinal))
            await emails.AddAsync(e.StoreId, email, e.CustomerKey, ct);
    }
}
