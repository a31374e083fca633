using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using Automation.Core.Ingestion;
using Automation.Core.Ingestion.Shopify;
using static Automation.Core.Tests.Ingestion.WebhookFixtures;

namespace Automation.Core.Tests.Ingestion;

/// <summary>Order topics, refunds and fulfillment events; the customer topics are in <see cref="ShopifyCustomerTopicsTests"/>.</summary>
public sealed class ShopifyMapperTests
{
    private const string OrderId = "5961433645200000001";
    private const string CustomerId = "7340032000000000003";

    private static MappingResult Map(string topic, string file, Action<JsonObject>? edit = null, DateTimeOffset? triggeredAt = null) =>
        ShopifyMapper.Map(Delivery(topic, Load("shopify", file, edit), triggeredAt));

    [Fact]
    public void order_create_becomes_order_placed_with_the_order_and_the_customer()
    {
        var e = Single(Map("orders/create", "orders-create.json"));

        Assert.Equal(EventTypes.OrderPlaced, e.Type);
        Assert.Equal("shopify-" + DeliveryId, e.Id);
        Assert.Equal(StoreId, e.StoreId);
        Assert.Equal("shopify", e.Source);
        Assert.Equal("id:" + CustomerId, e.CustomerKey);
        Assert.Equal(Utc(2026, 3, 1, 15, 15), e.OccurredAt);
        Assert.Equal(ReceivedAt, e.ReceivedAt);

        var order = e.Order!;
        Assert.Equal(OrderId, order.OrderId);
        Assert.Equal(388.00m, order.Total);
        Assert.Equal("CAD", order.Currency);
        Assert.Equal(["WELCOME10"], order.DiscountCodes!);
        Assert.Null(order.RefundId);
        Assert.Equal(
            [new OrderLine("9007199254740993", "IPod Nano - 8GB", null, 1, 199.00m), new OrderLine("632910392", "Case", null, 2, 99.50m)],
            order.Lines!);
    }

    [Fact]
    public void order_customer_facts_come_from_the_customer_object_and_the_order()
    {
        var c = Single(Map("orders/create", "orders-create.json")).Customer!;

        Assert.Equal(CustomerId, c.ExternalId);
        Assert.Equal("John.Smith@Example.com", c.Email);
        Assert.Equal("John", c.FirstName);
        Assert.Equal("Smith", c.LastName);
        Assert.Equal("en-CA", c.Locale);
        Assert.Equal("CA", c.Country);
        Assert.Equal(new ConsentFacts("subscribed", "shopify:orders/create", Utc(2025, 11, 2, 14, 0)), c.Consent);
    }

    [Fact]
    public void ids_above_2_pow_53_are_kept_exactly_through_the_queue_format()
    {
        var e = Single(Map("orders/create", "orders-create.json"));

        var queued = EventJson.Deserialize(EventJson.Serialize(e));

        Assert.Equal(OrderId, queued.Order!.OrderId);
        Assert.Equal("id:7340032000000000003", queued.CustomerKey);
        Assert.Equal("9007199254740993", queued.Order.Lines![0].ProductId);
    }

    [Fact]
    public void guest_order_is_keyed_by_normalised_email()
    {
        var e = Single(Map("orders/create", "orders-create-guest.json"));

        Assert.Equal(CustomerKey.FromEmail("guest.buyer@example.com"), e.CustomerKey);
        Assert.Equal("em:" + CustomerKey.EmailHash("guest.buyer@example.com"), e.CustomerKey);
        Assert.Null(e.Customer!.ExternalId);
        Assert.Equal("Guest.Buyer@Example.COM", e.Customer.Email);
        Assert.Equal("Greta", e.Customer.FirstName);
        Assert.Equal("DE", e.Customer.Country);
        Assert.Null(e.Customer.Consent);
        Assert.Equal("5961433645200000777", e.Order!.OrderId);
        Assert.Equal("7001234567890123456", e.Order.Lines![0].ProductId);
        Assert.Equal("Tea", e.Order.Lines[0].Category);
    }

    [Fact]
    public void order_with_a_customer_id_but_no_email_is_keyed_by_the_id()
    {
        var e = Single(Map("orders/create", "orders-create.json", o =>
        {
            o.Remove("email");
            o.Remove("contact_email");
            o["customer"]!.AsObject().Remove("email");
        }));

        Assert.Equal("id:" + CustomerId, e.CustomerKey);
        Assert.Null(e.Customer!.Email);
    }

    [Fact]
    public void order_with_neither_customer_id_nor_email_is_invalid()
    {
        var result = Map("orders/create", "orders-create.json", o =>
        {
            o["customer"] = null;
            o.Remove("email");
            o["contact_email"] = "not an address";
        });

        Assert.Equal("customer", Assert.IsType<MappingResult.Invalid>(result).Field);
    }

    [Fact]
    public void order_without_an_id_is_invalid()
    {
        var result = Map("orders/paid", "orders-create.json", o => o.Remove("id"));

        Assert.Equal("id", Assert.IsType<MappingResult.Invalid>(result).Field);
    }

    [Fact]
    public void payload_that_is_not_an_object_is_invalid()
    {
        var result = ShopifyMapper.Map(Delivery("orders/create", Parse("[1, 2]")));

        Assert.Equal("$", Assert.IsType<MappingResult.Invalid>(result).Field);
    }

    [Fact]
    public void order_paid_happens_when_shopify_says_it_was_triggered()
    {
        var triggered = Utc(2026, 3, 1, 15, 20);

        var e = Single(Map("orders/paid", "orders-create.json", triggeredAt: triggered));

        Assert.Equal(EventTypes.OrderPaid, e.Type);
        Assert.Equal(triggered, e.OccurredAt);
        Assert.Equal(OrderId, e.Order!.OrderId);
    }

    [Fact]
    public void order_paid_without_a_trigger_time_uses_the_order_update_time()
    {
        var e = Single(Map("orders/paid", "orders-create.json"));

        Assert.Equal(Utc(2026, 3, 1, 15, 15, 2), e.OccurredAt);
    }

    [Fact]
    public void order_fulfilled_becomes_order_fulfilled()
    {
        var e = Single(Map("orders/fulfilled", "orders-create.json"));

        Assert.Equal(EventTypes.OrderFulfilled, e.Type);
        Assert.Equal("id:" + CustomerId, e.CustomerKey);
    }

    [Fact]
    public void order_cancelled_happens_at_cancelled_at()
    {
        var e = Single(Map("orders/cancelled", "orders-create.json", o =>
        {
            o["cancelled_at"] = "2026-03-02T09:00:00-05:00";
            o["cancel_reason"] = "customer";
        }));

        Assert.Equal(EventTypes.OrderCancelled, e.Type);
        Assert.Equal(Utc(2026, 3, 2, 14, 0), e.OccurredAt);
    }

    [Fact]
    public void refund_without_customer_or_email_is_keyed_by_its_order_for_the_consumer_to_resolve()
    {
        var e = Single(Map("refunds/create", "refunds-create.json"));

        Assert.Equal(CustomerKey.ForOrder(OrderId), e.CustomerKey);
        Assert.Equal(EventTypes.OrderRefunded, e.Type);
    }

    [Fact]
    public void refund_that_names_a_customer_counts_its_successful_refund_transactions()
    {
        var e = Single(Map("refunds/create", "refunds-create.json", r => r["customer"] = JsonNode.Parse("""{"id": 7340032000000000003}""")));

        Assert.Equal(EventTypes.OrderRefunded, e.Type);
        Assert.Equal("id:" + CustomerId, e.CustomerKey);
        Assert.Equal(new OrderFacts(OrderId, RefundId: "890088186047892319", RefundAmount: 189.00m), e.Order);
        Assert.Equal(Utc(2026, 3, 10, 16, 0, 5), e.OccurredAt);
    }

    [Fact]
    public void refund_without_transactions_counts_its_line_subtotals()
    {
        var e = Single(Map("refunds/create", "refunds-create.json", r =>
        {
            r.Remove("transactions");
            r["email"] = "John.Smith@Example.com";
        }));

        Assert.Equal(CustomerKey.FromEmail("john.smith@example.com"), e.CustomerKey);
        Assert.Equal(189.0m, e.Order!.RefundAmount);
    }

    [Fact]
    public void refund_without_an_order_id_is_invalid()
    {
        var result = Map("refunds/create", "refunds-create.json", r => r.Remove("order_id"));

        Assert.Equal("order_id", Assert.IsType<MappingResult.Invalid>(result).Field);
    }

    [Fact]
    public void delivered_fulfillment_event_without_customer_or_email_is_keyed_by_its_order()
    {
        var e = Single(Map("fulfillment_events/create", "fulfillment-events-create.json"));

        Assert.Equal(CustomerKey.ForOrder(OrderId), e.CustomerKey);
        Assert.Equal(EventTypes.OrderDelivered, e.Type);
    }

    [Fact]
    public void delivered_fulfillment_event_that_names_a_customer_becomes_order_delivered_when_it_happened()
    {
        var e = Single(Map("fulfillment_events/create", "fulfillment-events-create.json", f => f["email"] = "john.smith@example.com"));

        Assert.Equal(EventTypes.OrderDelivered, e.Type);
        Assert.Equal(CustomerKey.FromEmail("john.smith@example.com"), e.CustomerKey);
        Assert.Equal(new OrderFacts(OrderId), e.Order);
        Assert.Equal(Utc(2026, 3, 5, 19, 2), e.OccurredAt);
    }

    [Theory]
    [InlineData("in_transit")]
    [InlineData("out_for_delivery")]
    [InlineData("failure")]
    public void fulfillment_events_other_than_delivered_are_ignored(string status)
    {
        var ignored = Assert.IsType<MappingResult.Ignored>(Map("fulfillment_events/create", "fulfillment-events-create.json", f =>
        {
            f["status"] = status;
            f["email"] = "john.smith@example.com";
        }));

        Assert.Contains(status, ignored.Reason, StringComparison.Ordinal);
    }
}
