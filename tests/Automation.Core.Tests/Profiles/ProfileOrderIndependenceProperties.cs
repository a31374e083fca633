using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Core.Stores;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Automation.Core.Tests.Profiles;

/// <summary>
/// Whatever order the queue delivers events in, and however often, the profile comes out the
/// same: that is what lets the consumer run concurrently and accept redeliveries.
/// </summary>
public sealed class ProfileOrderIndependenceProperties
{
    private static readonly StoreSettings Store = new("s");
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Types =
        [EventTypes.OrderPlaced, EventTypes.OrderPaid, EventTypes.OrderDelivered, EventTypes.OrderCancelled, EventTypes.OrderRefunded, EventTypes.CustomerUpdated];

    private static Gen<CustomerEvent> Event() =>
        from type in Gen.Elements(Types)
        from order in Gen.Choose(1, 4)
        from day in Gen.Choose(0, 60)
        from amount in Gen.Choose(1, 500)
        from category in Gen.Elements("shoes", "socks", "hats", "")
        select new CustomerEvent($"{type}-{order}-{day}-{amount}-{category}", "s", "id:1", type, T0.AddDays(day), T0.AddDays(day), "api",
            new CustomerFacts("1", $"v{day}@example.com", $"Name{day}"),
            new OrderFacts($"o{order}", type == EventTypes.OrderPlaced ? order * 10m : null, RefundId: $"r{day}", RefundAmount: type == EventTypes.OrderRefunded ? 1m : null,
                Lines: type == EventTypes.OrderRefunded ? null : [new OrderLine(null, null, category, amount % 4, null)]));

    private static Arbitrary<List<CustomerEvent>> Histories() =>
        Event().NonEmptyListOf().Select(e => e.Take(25).Select((x, i) => x with { Id = $"e{i}-{x.Id}" }).ToList()).ToArbitrary();

    private static CustomerProfile Fold(IEnumerable<CustomerEvent> events) =>
        events.Aggregate((CustomerProfile?)null, (p, e) => ProfileReducer.Apply(p, e, Store, T0).Profile)!;

    private static string Fingerprint(CustomerProfile p) =>
        System.Text.Json.JsonSerializer.Serialize(p with { UpdatedAt = default }, EventJson.Options);

    [Property(MaxTest = 300)]
    public Property any_delivery_order_gives_the_same_profile() =>
        Prop.ForAll(Histories(), history =>
        {
            var shuffled = history.OrderBy(e => HashCode.Combine(e.Id, history.Count)).ToList();
            return Fingerprint(Fold(history)) == Fingerprint(Fold(shuffled));
        });

    [Property(MaxTest = 300)]
    public Property redelivering_every_event_changes_nothing() =>
        Prop.ForAll(Histories(), history =>
            Fingerprint(Fold(history)) == Fingerprint(Fold(history.SelectMany(e => new[] { e, e }))));
}
