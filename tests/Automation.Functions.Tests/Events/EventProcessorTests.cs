using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Functions.Events;
using Automation.Functions.Queues;
using Automation.Functions.Storage;
using Automation.Functions.Tests.Infrastructure;

namespace Automation.Functions.Tests.Events;

/// <summary>The consumer's guarantees, against Azurite: exactly once, no lost update, any order.</summary>
public sealed class EventProcessorTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private static readonly DateTimeOffset T0 = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static CustomerEvent Order(string id, string type, string orderId, DateTimeOffset at, decimal? total = null, string customer = "id:42") =>
        new(id, "custom", customer, type, at, at, "api", new CustomerFacts(ExternalId: "42"), new OrderFacts(orderId, total, "GBP"));

    private async Task<Automation.Core.Profiles.CustomerProfile> Profile(string customer = "id:42") =>
        (await _app.Get<CustomerTable>().ReadProfileAsync(CustomerKey.Partition("custom", customer), default)).Profile!;

    [Fact]
    public async Task redelivered_event_is_applied_once()
    {
        var processor = _app.Get<EventProcessor>();
        var placed = Order("api-1", EventTypes.OrderPlaced, "1001", T0, 50m);

        Assert.Equal(ProcessOutcome.Applied, await processor.ProcessAsync(placed, default));
        Assert.Equal(ProcessOutcome.Duplicate, await processor.ProcessAsync(placed, default));
        Assert.Equal(ProcessOutcome.Duplicate, await processor.ProcessAsync(placed with { ReceivedAt = T0.AddHours(4) }, default));

        var p = await Profile();
        Assert.Equal(1, p.OrderCount);
        Assert.Equal(50m, p.TotalSpent);
    }

    [Fact]
    public async Task eight_concurrent_consumers_on_one_customer_lose_no_update()
    {
        var processor = _app.Get<EventProcessor>();
        // 40 orders, each delivered twice, spread over 8 concurrent workers.
        var events = Enumerable.Range(1, 40).Select(i => Order($"api-c{i}", EventTypes.OrderPlaced, $"o{i}", T0.AddMinutes(i), 10m)).ToList();
        var work = events.Concat(events).OrderBy(e => e.Id.GetHashCode(StringComparison.Ordinal)).ToList();

        var outcomes = new System.Collections.Concurrent.ConcurrentBag<ProcessOutcome>();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (e, ct) =>
            outcomes.Add(await processor.ProcessAsync(e, ct)));

        var p = await Profile();
        Assert.Equal(40, p.OrderCount);
        Assert.Equal(400m, p.TotalSpent);
        Assert.Equal(40, outcomes.Count(o => o == ProcessOutcome.Applied));
        Assert.Equal(40, outcomes.Count(o => o == ProcessOutcome.Duplicate));
    }

    [Fact]
    public async Task delivery_before_placement_gives_the_same_profile()
    {
        var processor = _app.Get<EventProcessor>();
        await processor.ProcessAsync(Order("api-d", EventTypes.OrderDelivered, "2001", T0.AddDays(5), customer: "id:a"), default);
        await processor.ProcessAsync(Order("api-p", EventTypes.OrderPlaced, "2001", T0, 80m, customer: "id:a"), default);
        await processor.ProcessAsync(Order("api-p2", EventTypes.OrderPlaced, "2001", T0, 80m, customer: "id:b"), default);
        await processor.ProcessAsync(Order("api-d2", EventTypes.OrderDelivered, "2001", T0.AddDays(5), customer: "id:b"), default);

        var (a, b) = (await Profile("id:a"), await Profile("id:b"));
        Assert.Equal(1, a.OrderCount);
        Assert.Equal(T0, a.FirstOrderAt);
        Assert.Equal(80m, a.TotalSpent);
        Assert.Equal(T0.AddDays(5), a.Orders["2001"].DeliveredAt);
        Assert.Equal(b.Orders["2001"], a.Orders["2001"]);
        Assert.Equal(b.OrderCount, a.OrderCount);
    }

    [Fact]
    public async Task one_event_costs_one_read_and_one_transaction()
    {
        var processor = _app.Get<EventProcessor>();
        await processor.ProcessAsync(Order("api-w", EventTypes.OrderPlaced, "3000", T0, 5m), default); // creates profile and email index
        _app.Counter.Reset();

        await processor.ProcessAsync(Order("api-x", EventTypes.OrderPaid, "3000", T0.AddMinutes(1)), default);

        Assert.Equal(1, _app.Counter.TableReads);
        Assert.Equal(1, _app.Counter.TableWrites);
    }

    [Fact]
    public async Task redaction_erases_the_profile_and_ignores_older_events()
    {
        var processor = _app.Get<EventProcessor>();
        await processor.ProcessAsync(Order("api-r1", EventTypes.OrderPlaced, "4000", T0, 5m) with
        {
            Customer = new CustomerFacts("42", "Someone@Example.com", "Ann"),
        }, default);

        await processor.ProcessAsync(new CustomerEvent("shopify-redact", "custom", "id:42", EventTypes.CustomerRedacted, T0.AddDays(10), T0.AddDays(10), "shopify"), default);
        await processor.ProcessAsync(Order("api-late", EventTypes.OrderPaid, "4000", T0.AddDays(1)), default);

        var p = await Profile();
        Assert.NotNull(p.RedactedAt);
        Assert.Null(p.Email);
        Assert.Null(p.FirstName);
        Assert.Equal(0, p.OrderCount);
        Assert.Empty(await _app.Get<EmailIndex>().FindAsync("custom", "someone@example.com", default));
    }

    [Fact]
    public async Task unreadable_message_is_parked_with_its_reason_and_removed()
    {
        var queue = _app.Get<StorageClients>().Queue("events");
        await queue.SendMessageAsync(new BinaryData("{not json"u8.ToArray()));
        await queue.SendMessageAsync(new BinaryData(EventJson.Serialize(Order("api-u", EventTypes.OrderPlaced, "1", T0) with { StoreId = "gone" })));

        Assert.Equal(2, await _app.DrainAsync());

        var parked = await _app.Get<ParkedMessages>().ListAsync(10, default);
        Assert.Equal(2, parked.Count);
        Assert.Contains(parked, m => m.Reason.StartsWith("not a canonical event", StringComparison.Ordinal));
        Assert.Contains(parked, m => m.Reason == "store 'gone' is not configured");
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task refund_named_only_by_its_order_waits_for_the_order_then_lands_on_its_customer()
    {
        var processor = _app.Get<EventProcessor>();
        var refund = new CustomerEvent("shopify-rf", "custom", CustomerKey.ForOrder("9001"), EventTypes.OrderRefunded, T0.AddDays(2), T0.AddDays(2), "shopify",
            Order: new OrderFacts("9001", RefundId: "r1", RefundAmount: 20m));

        var early = await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync(refund, default));
        Assert.Contains("order 9001 has not been seen yet", early.Message, StringComparison.Ordinal);

        await processor.ProcessAsync(Order("shopify-o", EventTypes.OrderPlaced, "9001", T0, 100m) with { Source = "shopify" }, default);
        Assert.Equal(ProcessOutcome.Applied, await processor.ProcessAsync(refund, default));

        var p = await Profile();
        Assert.Equal(80m, p.TotalSpent);
    }

    [Fact]
    public async Task message_that_keeps_failing_is_parked_after_the_last_delivery()
    {
        await using var app = await TestApp.StartAsync(new() { ["Automation:RetryBaseDelaySeconds"] = "0", ["Automation:MaxDeliveryCount"] = "3" });
        var orphan = new CustomerEvent("shopify-orphan", "custom", CustomerKey.ForOrder("404"), EventTypes.OrderDelivered, T0, T0, "shopify", Order: new OrderFacts("404"));
        await app.Get<IEventQueue>().PublishAsync([orphan], default);

        var handled = 0;
        for (var delivery = 1; delivery <= 3; delivery++) handled += await app.DrainAsync();

        Assert.Equal(1, handled);
        var parked = Assert.Single(await app.Get<ParkedMessages>().ListAsync(10, default));
        Assert.Equal(3, parked.Attempts);
        Assert.Contains("order 404 has not been seen yet", parked.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task shop_redaction_erases_every_customer_of_that_store_and_no_other()
    {
        await using var app = await TestApp.StartAsync(new()
        {
            ["Automation:Stores:custom2:Platform"] = "custom",
            ["Automation:Stores:custom-x:Platform"] = "custom",
        });
        var processor = app.Get<EventProcessor>();
        foreach (var (store, customer) in new[] { ("custom", "id:1"), ("custom", "id:2"), ("custom2", "id:1"), ("custom-x", "id:1") })
            await processor.ProcessAsync(Order($"api-{store}-{customer}", EventTypes.OrderPlaced, "1", T0, 5m, customer) with
            {
                StoreId = store,
                Customer = new CustomerFacts(customer[3..], $"c{customer[3..]}@example.com"),
                Source = "shopify",
            }, default);

        await processor.ProcessAsync(new CustomerEvent("shopify-shop-redact", "custom", EventProcessor.ShopCustomerKey, EventTypes.ShopRedacted, T0.AddDays(60), T0.AddDays(60), "shopify"), default);

        var table = app.Get<CustomerTable>();
        Assert.Null((await table.ReadProfileAsync(CustomerKey.Partition("custom", "id:1"), default)).Profile);
        Assert.Null((await table.ReadProfileAsync(CustomerKey.Partition("custom", "id:2"), default)).Profile);
        Assert.NotNull((await table.ReadProfileAsync(CustomerKey.Partition("custom2", "id:1"), default)).Profile);
        Assert.NotNull((await table.ReadProfileAsync(CustomerKey.Partition("custom-x", "id:1"), default)).Profile);
        Assert.Empty(await app.Get<EmailIndex>().FindAsync("custom", "c1@example.com", default));
        Assert.Single(await app.Get<EmailIndex>().FindAsync("custom2", "c1@example.com", default));
        Assert.Null(await app.Get<OrderIndex>().FindAsync("custom", "1", default));
        Assert.Equal("id:1", await app.Get<OrderIndex>().FindAsync("custom2", "1", default));
    }
}
