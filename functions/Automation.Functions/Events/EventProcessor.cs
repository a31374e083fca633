using Automation.Core.Audience;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Automation.Functions.Journeys;
using Automation.Functions.Journeys.Outbox;
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
/// Applies one event to its customer's partition (DESIGN.md): one point read of the profile row
/// (journeys included), a pure decision (profile, then journeys), timers armed, one entity group
/// transaction guarded by the profile's ETag with the processed-event marker and the outbox rows
/// inside it, then the outbox dispatched. A lost race (412) reads and decides again; a redelivered
/// event finds its marker and stops.
/// </summary>
public sealed class EventProcessor(
    CustomerTable customers,
    EmailIndex emails,
    AudienceIndex audience,
    OrderIndex orders,
    TimerTable timers,
    JourneyStore journeys,
    OutboxDispatcher outbox,
    Coupons.CouponRedemptions redemptions,
    Reports.JourneyActivity activity,
    Customers.DataErasure erasure,
    Suppression.SuppressionList suppressions,
    StoreDirectory stores,
    TimeProvider time,
    ILogger<EventProcessor> log)
{
    /// <summary>Lost races tolerated before giving up; each round one contender wins.</summary>
    private const int MaxAttempts = 50;

    /// <summary>Partition of the store-level events (shop redaction).</summary>
    public const string ShopCustomerKey = "_shop";

    /// <summary>A test hook: called at each step of processing, so a test can crash it there.</summary>
    internal Func<string, CustomerEvent, Task>? FaultPoint { get; set; }

    public async Task<ProcessOutcome> ProcessAsync(CustomerEvent e, CancellationToken ct)
    {
        if (!stores.TryGet(e.StoreId, out _))
            throw new PermanentEventFailure($"store '{e.StoreId}' is not configured");
        var store = stores.Settings(e.StoreId);
        e = await ResolveOrderReferenceAsync(e, ct);
        var partition = CustomerKey.Partition(e.StoreId, e.CustomerKey);

        var indexed = AudienceWrite.None;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var state = await customers.ReadStateAsync(partition, ct);
            var library = await journeys.LibraryAsync(ct);
            var now = time.GetUtcNow();
            var outcome = CustomerDecision.Decide(state.Profile, state.Journeys, e, store, library, now);
            if (outcome.Profile is null || (EventTypes.Internal.Contains(e.Type) && outcome.Journeys is not { Changed: true }))
            {
                // A wake-up for an instance that has moved on, or for no one: nothing to write.
                Log.EventApplied(log, e.Id, e.Type, e.StoreId, attempt, outcome.IgnoredReason ?? "nothing to do");
                return ProcessOutcome.Applied;
            }
            var decision = outcome.Journeys;
            var journeyStates = decision?.States ?? state.Journeys;
            var actions = decision?.Actions ?? [];

            await Fault("decided", e);
            await BeforeCommitAsync(e, state.Profile, outcome.Profile, ct);
            indexed = await UpdateAudienceAsync(e, state.Profile, outcome.Profile, indexed, ct);
            if (decision is { Timers.Count: > 0 }) await timers.ArmAsync(e.StoreId, e.CustomerKey, decision.Timers, ct);
            if (actions.Count > 0) await timers.ArmOutboxCheckAsync(e.StoreId, e.CustomerKey, actions[0].Id, now + OutboxDispatcher.CheckAfter, ct);
            // Markers pile up with every event: once per retention period, a timer clears the old ones.
            DateTimeOffset? housekeepAt = null;
            if (state.HousekeepAt is not { } planned || planned <= now)
            {
                housekeepAt = now + TimerSweeper.MarkerRetention + TimeSpan.FromDays(1);
                await timers.ArmHousekeepingAsync(e.StoreId, e.CustomerKey, housekeepAt.Value, ct);
            }
            await Fault("before-commit", e);
            switch (await customers.CommitAsync(partition, outcome.Profile, journeyStates, state.ETag, e, actions, decision?.CompletedActions ?? [], now, ct, decision?.Ended, housekeepAt ?? state.HousekeepAt))
            {
                case CommitResult.Committed:
                    Log.EventApplied(log, e.Id, e.Type, e.StoreId, attempt, outcome.IgnoredReason ?? "applied");
                    await Fault("after-commit", e);
                    await outbox.DispatchAsync(e.StoreId, e.CustomerKey, actions, ct);
                    await activity.RecordAsync(e.StoreId, state.Journeys, decision, ct);
                    await redemptions.AfterOrderAsync(e, ct); // idempotent; repeated on redelivery below
                    return ProcessOutcome.Applied;
                case CommitResult.Duplicate:
                    Log.EventDuplicate(log, e.Id, e.StoreId);
                    await redemptions.AfterOrderAsync(e, ct);
                    return ProcessOutcome.Duplicate;
                default:
                    Log.EventConflict(log, e.Id, attempt);
                    continue;
            }
        }
        throw new InvalidOperationException($"Event {e.Id} lost {MaxAttempts} races for its customer's profile.");
    }

    private Task Fault(string point, CustomerEvent e) => FaultPoint?.Invoke(point, e) ?? Task.CompletedTask;

    /// <summary>What this event's processing last put in the audience index, across its attempts.</summary>
    private readonly record struct AudienceWrite(bool Written, AudienceEntry? Entry)
    {
        public static readonly AudienceWrite None = new(false, null);
    }

    /// <summary>
    /// Keeps the customer's audience row current, like the email index: before the commit, idempotent
    /// (an upsert of the whole entry, or a delete), and only when the entry changed, so an event that
    /// touches no indexed field (a page view, a payment, an email sent) costs no request. A customer who
    /// can no longer be emailed at all (erased, no address) leaves the index; one without consent stays,
    /// flagged (see <see cref="AudienceEntry.From"/>).
    /// <para>
    /// After a lost race the entry this attempt compares against is the winner's, which the winner
    /// wrote; but this event's own earlier attempt may have written after it. So an entry written by an
    /// earlier attempt is written over whenever it differs from this attempt's.
    /// </para>
    /// </summary>
    private async Task<AudienceWrite> UpdateAudienceAsync(CustomerEvent e, CustomerProfile? before, CustomerProfile after, AudienceWrite earlier, CancellationToken ct)
    {
        if (e.Type is EventTypes.CustomerRedacted or EventTypes.ShopRedacted) return earlier; // erasure deletes the rows
        // An erased customer never keeps a row: an event racing the erasure may have written one after
        // erasure deleted it, and seen from a tombstone nothing "changed". Erased customers get few events.
        if (after.RedactedAt is not null)
        {
            await audience.DeleteAsync(e.StoreId, e.CustomerKey, ct);
            return new AudienceWrite(true, null);
        }
        var (was, now) = (AudienceEntry.From(before), AudienceEntry.From(after));
        if (was == now && !(earlier.Written && earlier.Entry != now)) return earlier;
        if (now is null) await audience.DeleteAsync(e.StoreId, e.CustomerKey, ct);
        else await audience.UpsertAsync(now, ct);
        return new AudienceWrite(true, now);
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
    /// retry after a crash or a lost race repeats it harmlessly: erasure (the audience index's rows
    /// included, <see cref="Customers.DataErasure"/>), and the email index. The audience index follows.
    /// </summary>
    private async Task BeforeCommitAsync(CustomerEvent e, CustomerProfile? before, CustomerProfile after, CancellationToken ct)
    {
        switch (e.Type)
        {
            case EventTypes.ShopRedacted:
                await customers.DeleteStoreAsync(e.StoreId, keep: CustomerKey.Partition(e.StoreId, e.CustomerKey), ct);
                await emails.DeleteStoreAsync(e.StoreId, ct);
                await orders.DeleteStoreAsync(e.StoreId, ct);
                await erasure.EraseStoreAsync(e.StoreId, ct);
                return;
            case EventTypes.CustomerRedacted:
                await customers.DeleteCustomerDataAsync(CustomerKey.Partition(e.StoreId, e.CustomerKey), ct);
                if (before?.Email is { } erased) await emails.RemoveAsync(e.StoreId, erased, e.CustomerKey, ct);
                if (before is not null) await orders.RemoveAsync(e.StoreId, before.Orders.Keys, ct);
                await erasure.EraseCustomerAsync(e.StoreId, e.CustomerKey, before?.Email, ct);
                return;
        }
        if (e is { Source: "shopify", Order: { } order } && before?.Orders.ContainsKey(order.OrderId) != true)
            await orders.AddAsync(e.StoreId, order.OrderId, e.CustomerKey, ct);
        if (after.Email is { } email && !string.Equals(EmailAddress.Normalise(email), EmailAddress.Normalise(before?.Email), StringComparison.Ordinal))
            await emails.AddAsync(e.StoreId, email, e.CustomerKey, ct);
        // A customer who opts in again after unsubscribing lifts their own unsubscribe from the store's list (never a
        // bounce, a spam report or a block). Only on the change to subscribed, so it costs a read only then.
        if (after is { Email: { } address, Consent: { AllowsMarketing: true, At: { } optedInAt } } && before?.Consent.AllowsMarketing != true
            && await suppressions.GetAsync(e.StoreId, address, ct) is { Reason: Suppression.SuppressionReasons.Unsubscribed, At: { } unsubscribedAt }
            && unsubscribedAt < optedInAt)
            await suppressions.LiftAsync(e.StoreId, address, ct);
    }
}
