using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Ingestion;
using Automation.Core.Ingestion.WooCommerce;
using static Automation.Core.Tests.Ingestion.WebhookFixtures;

namespace Automation.Core.Tests.Ingestion;

public sealed class WooCommerceMapperTests
{
    private const string WooDelivery = "8142";

    private static MappingResult Map(string topic, string file, Action<JsonObject>? edit = null, DateTimeOffset? triggeredAt = null) =>
        WooCommerceMapper.Map(Delivery(topic, Load("woocommerce", file, edit), triggeredAt, WooDelivery));

    [Fact]
    public void processing_order_is_placed_and_paid()
    {
        var events = MappedEvents(Map("order.created", "order-processing.json"));

        Assert.Equal([EventTypes.OrderPlaced, EventTypes.OrderPaid], events.Select(e => e.Type));
        Assert.Equal(["woocommerce-8142", "woocommerce-8142-1"], events.Select(e => e.Id));
        Assert.Equal([Utc(2026, 3, 8, 21, 28, 2), Utc(2026, 3, 8, 21, 28, 8)], events.Select(e => e.OccurredAt));
        Assert.All(events, e =>
        {
            Assert.Equal("id:25", e.CustomerKey);
            Assert.Equal("woocommerce", e.Source);
            Assert.Equal(StoreId, e.StoreId);
            Assert.Equal(ReceivedAt, e.ReceivedAt);
        });
    }

    [Fact]
    public void order_facts_come_from_totals_coupons_and_line_items()
    {
        var order = MappedEvents(Map("order.created", "order-processing.json"))[0].Order!;

        Assert.Equal("727", order.OrderId);
        Assert.Equal(59.00m, order.Total);
        Assert.Equal("USD", order.Currency);
        Assert.Equal(["spring5"], order.DiscountCodes!);
        Assert.Null(order.RefundId);
        Assert.Equal(
            [new OrderLine("93", "Woo Single #1", null, 2, 12m), new OrderLine("22", "Ship Your Idea &ndash; Color: Black, Size: M Test", null, 1, 24.99m)],
            order.Lines!);
    }

    [Fact]
    public void order_customer_facts_come_from_billing_without_consent_or_locale()
    {
        var customer = MappedEvents(Map("order.created", "order-processing.json"))[0].Customer;

        Assert.Equal(new CustomerFacts("25", "John.Doe@Example.com", "John", "Doe", Country: "US"), customer);
    }

    [Fact]
    public void guest_order_is_keyed_by_normalised_billing_email()
    {
        var events = MappedEvents(Map("order.updated", "order-guest.json"));

        Assert.All(events, e => Assert.Equal("em:" + CustomerKey.EmailHash("jane.guest@example.org"), e.CustomerKey));
        Assert.Null(events[0].Customer!.ExternalId);
        Assert.Equal("Jane.Guest@Example.org", events[0].Customer!.Email);
        Assert.Equal("FR", events[0].Customer!.Country);
    }

    [Fact]
    public void completed_order_is_placed_paid_and_fulfilled_each_at_its_own_time()
    {
        var events = MappedEvents(Map("order.updated", "order-guest.json"));

        Assert.Equal([EventTypes.OrderPlaced, EventTypes.OrderPaid, EventTypes.OrderFulfilled], events.Select(e => e.Type));
        Assert.Equal([Utc(2026, 3, 9, 9, 0), Utc(2026, 3, 9, 13, 0), Utc(2026, 3, 11, 11, 30)], events.Select(e => e.OccurredAt));
        Assert.Equal(3, events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void order_placed_from_a_later_update_still_happens_when_the_order_was_created()
    {
        var placed = MappedEvents(Map("order.updated", "order-processing.json", o => o["date_modified_gmt"] = "2026-03-15T08:00:00"))[0];

        Assert.Equal(EventTypes.OrderPlaced, placed.Type);
        Assert.Equal(Utc(2026, 3, 8, 21, 28, 2), placed.OccurredAt);
    }

    [Fact]
    public void cancelled_order_becomes_order_cancelled_at_its_modification_time()
    {
        var e = Single(Map("order.updated", "order-processing.json", o =>
        {
            o["status"] = "cancelled";
            o["date_modified_gmt"] = "2026-03-09T10:00:00";
        }));

        Assert.Equal(EventTypes.OrderCancelled, e.Type);
        Assert.Equal(Utc(2026, 3, 9, 10, 0), e.OccurredAt);
        Assert.Equal("727", e.Order!.OrderId);
    }

    [Fact]
    public void refunded_order_is_refunded_in_full()
    {
        var e = Single(Map("order.updated", "order-processing.json", o => o["status"] = "refunded"));

        Assert.Equal(EventTypes.OrderRefunded, e.Type);
        Assert.Equal("full", e.Order!.RefundId);
        Assert.Equal(59.00m, e.Order.RefundAmount);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("on-hold")]
    [InlineData("failed")]
    [InlineData("draft")]
    [InlineData("checkout-draft")]
    [InlineData("awaiting-shipment")]
    public void orders_in_untracked_statuses_are_ignored_naming_the_status(string status)
    {
        var ignored = Assert.IsType<MappingResult.Ignored>(Map("order.created", "order-processing.json", o => o["status"] = status));

        Assert.Contains($"'{status}'", ignored.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void guest_order_without_a_billing_email_is_invalid()
    {
        var result = Map("order.created", "order-guest.json", o => o["billing"]!["email"] = "");

        Assert.Equal("customer", Assert.IsType<MappingResult.Invalid>(result).Field);
    }

    [Fact]
    public void order_without_an_id_is_invalid()
    {
        var result = Map("order.created", "order-processing.json", o => o.Remove("id"));

        Assert.Equal("id", Assert.IsType<MappingResult.Invalid>(result).Field);
    }

    [Fact]
    public void deleted_order_is_ignored()
    {
        Assert.IsType<MappingResult.Ignored>(WooCommerceMapper.Map(Delivery("order.deleted", Parse("""{"id": 727}"""))));
    }

    [Fact]
    public void customer_created_happens_at_its_creation_time()
    {
        var e = Single(Map("customer.created", "customer.json"));

        Assert.Equal(EventTypes.CustomerCreated, e.Type);
        Assert.Equal("id:25", e.CustomerKey);
        Assert.Equal("woocommerce-8142", e.Id);
        Assert.Equal(Utc(2026, 2, 21, 21, 9, 28), e.OccurredAt);
        Assert.Equal(new CustomerFacts("25", "John.Doe@Example.com", "John", "Doe", Country: "US"), e.Customer);
    }

    [Fact]
    public void customer_updated_happens_at_its_modification_time()
    {
        var e = Single(Map("customer.updated", "customer.json"));

        Assert.Equal(EventTypes.CustomerUpdated, e.Type);
        Assert.Equal(Utc(2026, 3, 8, 21, 30), e.OccurredAt);
    }

    [Fact]
    public void customer_deleted_carries_only_the_key()
    {
        var triggered = Utc(2026, 3, 12, 9, 0);

        var e = Single(Map("customer.deleted", "customer-deleted.json", triggeredAt: triggered));

        Assert.Equal(EventTypes.CustomerDeleted, e.Type);
        Assert.Equal("id:25", e.CustomerKey);
        Assert.Equal(triggered, e.OccurredAt);
        Assert.Null(e.Customer);
    }

    [Fact]
    public void unknown_topic_is_ignored_naming_the_topic()
    {
        var ignored = Assert.IsType<MappingResult.Ignored>(Map("product.updated", "customer.json"));

        Assert.Equal("topic 'product.updated' is not used", ignored.Reason);
    }

    [Fact]
    public void payload_that_is_not_an_object_is_invalid()
    {
        var result = WooCommerceMapper.Map(Delivery("order.created", Parse("\"webhook_id=3\"")));

        Assert.Equal("$", Assert.IsType<MappingResult.Invalid>(result).Field);
    }
}
