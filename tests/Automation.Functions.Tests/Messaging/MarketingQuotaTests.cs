using Automation.Functions.Messaging;
using Automation.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Functions.Tests.Messaging;

public sealed class MarketingQuotaTests
{
    private static readonly DateTimeOffset November = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task concurrent_senders_never_count_past_the_limit()
    {
        await using var app = await TestApp.StartAsync();
        var quota = app.Services.GetRequiredService<MarketingQuota>();

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => quota.TryReserveAsync("shop", November, 1, 10, CancellationToken.None)));

        Assert.Equal(10, results.Count(r => r.Reserved));
        Assert.Equal(10, await quota.UsedAsync("shop", November, CancellationToken.None));
    }

    [Fact]
    public async Task each_month_and_store_has_its_own_count()
    {
        await using var app = await TestApp.StartAsync();
        var quota = app.Services.GetRequiredService<MarketingQuota>();

        Assert.True((await quota.TryReserveAsync("shop", November, 2, 2, CancellationToken.None)).Reserved);
        var full = await quota.TryReserveAsync("shop", November, 1, 2, CancellationToken.None);
        var december = await quota.TryReserveAsync("shop", November.AddDays(8), 1, 2, CancellationToken.None);
        var otherStore = await quota.TryReserveAsync("woo", November, 1, 2, CancellationToken.None);

        Assert.Equal((false, 2L), full);
        Assert.Equal((true, 0L), december);
        Assert.Equal((true, 0L), otherStore);
    }
}
