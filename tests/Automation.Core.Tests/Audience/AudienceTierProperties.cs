using Automation.Core.Audience;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Core.Stores;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Automation.Core.Tests.Audience;

/// <summary>
/// The index does not store the tier (it moves with time); a broadcast computes it from the entry. It must
/// be the profile's tier, whatever the history: cancellations, orders seen out of order, ledgers past
/// their 100 orders (the oldest folded into the archive).
/// </summary>
public sealed class AudienceTierProperties
{
    private static readonly StoreSettings Store = new("s");
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CustomerFacts Someone = new("1", "someone@example.com");

    private static Gen<CustomerEvent> OrderEvent() =>
        from order in Gen.Choose(1, 130)
        from minutes in Gen.Choose(0, 720 * 24 * 60)
        from cancelled in Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new CustomerEvent($"e-{order}-{minutes}-{cancelled}", "s", "id:1", cancelled ? EventTypes.OrderCancelled : EventTypes.OrderPlaced,
            T0.AddMinutes(minutes), T0.AddMinutes(minutes), "api", Someone, new OrderFacts($"o{order}", 20m));

    private static Arbitrary<(List<CustomerEvent> History, int HoursLater)> Cases() =>
        (from count in Gen.Frequency((3, Gen.Choose(0, 12)), (2, Gen.Choose(13, 60)), (1, Gen.Choose(150, 220)))
         from history in OrderEvent().ListOf(count)
         from hours in Gen.Frequency((4, Gen.Choose(0, 200 * 24)), (1, Gen.Choose(0, 3)))
         select (history.ToList(), hours)).ToArbitrary();

    private static CustomerProfile Fold(IEnumerable<CustomerEvent> events) =>
        events.Aggregate(ProfileReducer.Apply(null, new CustomerEvent("first", "s", "id:1", EventTypes.CustomerCreated, T0, T0, "api", Someone), Store, T0).Profile,
            (p, e) => ProfileReducer.Apply(p, e, Store, T0).Profile);

    [Property(MaxTest = 400)]
    public Property the_entrys_tier_is_the_profiles_from_the_newest_order_on() =>
        Prop.ForAll(Cases(), c =>
        {
            var p = Fold(c.History);
            var now = (p.LastOrderAt ?? T0).AddHours(c.HoursLater);
            return AudienceEntry.From(p)!.TierAt(now) == LifecycleTier.At(p, now);
        });

    [Theory]
    [InlineData(new int[0], LifecycleTier.Prospect)]
    [InlineData(new[] { 10 }, LifecycleTier.New)]
    [InlineData(new[] { 10, 20, 80 }, LifecycleTier.Active)]
    [InlineData(new[] { 10, 20, 95 }, LifecycleTier.Occasional)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6 }, LifecycleTier.Active)]
    [InlineData(new[] { 45 }, LifecycleTier.Occasional)]
    [InlineData(new[] { 59, 400 }, LifecycleTier.Occasional)]
    [InlineData(new[] { 60 }, LifecycleTier.AtRisk)]
    [InlineData(new[] { 179, 300 }, LifecycleTier.AtRisk)]
    [InlineData(new[] { 180 }, LifecycleTier.Dormant)]
    public void entry_and_profile_agree_on_each_tier(int[] daysAgo, string tier)
    {
        var now = T0.AddDays(500);
        var p = Fold(daysAgo.Select((d, i) => new CustomerEvent($"o{i}", "s", "id:1", EventTypes.OrderPlaced, now.AddDays(-d), now.AddDays(-d), "api", Someone, new OrderFacts($"o{i}", 5m))));

        Assert.Equal(tier, LifecycleTier.At(p, now));
        Assert.Equal(tier, AudienceEntry.From(p)!.TierAt(now));
    }
}
