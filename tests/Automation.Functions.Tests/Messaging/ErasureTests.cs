using Automation.Core.Events;
using Automation.Functions.Events;
using Automation.Functions.Messaging;
using Automation.Functions.Suppression;
using Automation.Functions.Tests.Infrastructure;
using Automation.Functions.Webhooks.SendGrid;

namespace Automation.Functions.Tests.Messaging;

/// <summary>Erasure reaches the email side's tables: the suppression list, the quota, captured emails.</summary>
public sealed class ErasureTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static CustomerEvent Order(string store, string customer, string email) =>
        new($"api-{store}-{customer}", store, customer, EventTypes.OrderPlaced, T0, T0, "api",
            new CustomerFacts(customer[3..], email), new OrderFacts("o-" + customer, 5m));

    [Fact]
    public async Task an_erased_customers_suppression_keeps_its_reason_but_not_the_address()
    {
        await using var app = await TestApp.StartAsync();
        var processor = app.Get<EventProcessor>();
        var list = app.Get<SuppressionList>();
        await processor.ProcessAsync(Order("custom", "id:42", "gone@example.com"), default);
        await list.SuppressAsync("custom", "gone@example.com", SuppressionReasons.SpamReport, "sendgrid", T0, default);
        await list.OptOutAsync("custom", "kept@example.com", "welcome", T0, default);

        await processor.ProcessAsync(new CustomerEvent("shopify-redact", "custom", "id:42", EventTypes.CustomerRedacted, T0.AddDays(1), T0.AddDays(1), "shopify"), default);

        var entry = await list.GetAsync("custom", "gone@example.com", default);
        Assert.Equal((SuppressionReasons.SpamReport, ""), (entry!.Reason, entry.Email));
        Assert.Equal("kept@example.com", (await list.GetAsync("custom", "kept@example.com", default))!.Email);
    }

    [Fact]
    public async Task shop_redaction_clears_that_stores_suppressions_quota_and_sendgrid_markers_only()
    {
        await using var app = await TestApp.StartAsync(new() { ["Automation:Stores:custom2:Platform"] = "custom" });
        var list = app.Get<SuppressionList>();
        var quota = app.Get<MarketingQuota>();
        foreach (var store in new[] { "custom", "custom2" })
        {
            await list.SuppressAsync(store, "a@example.com", SuppressionReasons.Blocked, "admin", T0, default);
            await quota.TryReserveAsync(store, T0, 3, 10, default);
            var markers = new[] { "20261001", "20261102" }.Select(day => (Key: ProviderEventLog.For("sendgrid", store, day, $"sg-{store}-{day}"), Type: "delivered"));
            await app.Get<ProviderEventLog>().AddNewAsync(markers.ToList(), T0, new HashSet<ProviderEventLog.Key>(), default);
        }

        await app.Get<EventProcessor>().ProcessAsync(new CustomerEvent("shopify-shop-redact", "custom", EventProcessor.ShopCustomerKey, EventTypes.ShopRedacted, T0, T0, "shopify"), default);

        Assert.Null(await list.GetAsync("custom", "a@example.com", default));
        Assert.Equal(0, await quota.UsedAsync("custom", T0, default));
        Assert.NotNull(await list.GetAsync("custom2", "a@example.com", default));
        Assert.Equal(3, await quota.UsedAsync("custom2", T0, default));
        var left = new List<string>();
        await foreach (var row in app.Get<Automation.Functions.Storage.StorageClients>().Table("providerevents").QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey"]))
            left.Add(row.PartitionKey);
        Assert.Equal(["sendgrid|custom2|20261001", "sendgrid|custom2|20261102"], left.Order());
    }
}
