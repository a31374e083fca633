using System.Collections.Immutable;
using Automation.Core.Profiles;

namespace Automation.Core.Tests.Profiles;

public sealed class LifecycleTierTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static CustomerProfile WithOrdersDaysAgo(params int[] daysAgo) => ProfileReducer.Summarise(new CustomerProfile
    {
        StoreId = "s",
        CustomerKey = "id:1",
        Orders = daysAgo.Select((d, i) => (Key: $"o{i}", Entry: new OrderEntry { PlacedAt = Now.AddDays(-d), FirstSeenAt = Now.AddDays(-d), Total = 10m }))
            .ToImmutableSortedDictionary(x => x.Key, x => x.Entry, StringComparer.Ordinal),
    });

    [Theory]
    [InlineData(new int[0], LifecycleTier.Prospect)]
    [InlineData(new[] { 10 }, LifecycleTier.New)]
    [InlineData(new[] { 10, 20, 80 }, LifecycleTier.Active)]
    [InlineData(new[] { 45 }, LifecycleTier.Occasional)]
    [InlineData(new[] { 59, 400 }, LifecycleTier.Occasional)]
    [InlineData(new[] { 60 }, LifecycleTier.AtRisk)]
    [InlineData(new[] { 179, 300 }, LifecycleTier.AtRisk)]
    [InlineData(new[] { 180 }, LifecycleTier.Dormant)]
    public void tier_follows_order_history(int[] daysAgo, string tier) =>
        Assert.Equal(tier, LifecycleTier.At(WithOrdersDaysAgo(daysAgo), Now));

    [Fact]
    public void rfm_scores_high_for_a_recent_frequent_big_spender()
    {
        var p = WithOrdersDaysAgo(Enumerable.Range(1, 12).ToArray()) with { TotalSpent = 1000m };

        Assert.Equal(new RfmScores(5, 5, 5), RfmScores.At(p, 500m, Now));
        Assert.Null(RfmScores.At(WithOrdersDaysAgo(), 500m, Now));
    }
}
