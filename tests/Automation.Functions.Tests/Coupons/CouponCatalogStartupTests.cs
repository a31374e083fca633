using Automation.Core.Journeys.Definitions;
using Automation.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Functions.Tests.Coupons;

/// <summary>A catalog whose pools would promise something wrong stops the app at start, naming the pool and field.</summary>
public sealed class CouponCatalogStartupTests
{
    [Fact]
    public async Task the_app_does_not_start_with_a_pool_that_gives_both_percent_and_amount()
    {
        var catalog = new JourneyCatalog(new HashSet<string>(),
            new Dictionary<string, CouponPool> { ["both"] = new() { PercentOff = 10, AmountOff = 5, ValidFor = "P7D", Prefix = "BOTH" } },
            new Dictionary<string, WebhookTarget>());

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestApp.StartAsync(new() { ["Automation:InstallShippedJourneys"] = "false" }, s => s.AddSingleton(catalog)));

        Assert.Contains("$.couponPools.both.amountOff", failure.Message, StringComparison.Ordinal);
        Assert.Contains("coupon pool 'both'", failure.Message, StringComparison.Ordinal);
    }
}
