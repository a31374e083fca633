using System.Text.Json;
using Automation.Core.Customers;
using Automation.Core.Events;
using static Automation.Core.Ingestion.WebhookJson;

namespace Automation.Core.Ingestion.Shopify;

/// <summary>The order topics, refunds and fulfillment events.</summary>
internal static class ShopifyOrders
{
    /// <param name="timeField">The order's own time for this change, when it has one
    /// (<c>created_at</c>, <c>cancelled_at</c>); payment and fulfillment have none.</param>
    public static MappingResult Order(WebhookDelivery d, string type, string? timeField)
    {
        var order = d.Payload;
        if (Id(order, "id") is not { } orderId)
            return new MappingResult.Invalid("id", $"the {d.Topic} payload has no order id");

        var at = (timeField is null ? null : Time(order, timeField)) ?? d.TriggeredAt ?? Time(order, "updated_at") ?? d.ReceivedAt;
        var (key, customer) = ShopifyPeople.Buyer(order, d.Topic, at);
        if (key is null)
            return new MappingResult.Invalid("customer", $"order {orderId} has neither a customer id nor an email");

        var facts = new OrderFacts(
            orderId,
            // total_price is in the shop currency, which is what `currency` names; the buyer's
            // currency is presentment_currency.
            Total: Amount(order, "total_price"),
            Currency: Text(order, "currency"),
            DiscountCodes: DiscountCodes(order),
            Lines: Lines(order));
        return WebhookEvents.Mapped(WebhookEvents.Create(d, ShopifyMapper.Source, 0, key, type, at, customer, facts));
    }

    public static MappingResult Refund(WebhookDelivery d)
    {
        var refund = d.Payload;
        if (Id(refund, "id") is not { } refundId)
            return new MappingResult.Invalid("id", "the refund has no id");
        if (Id(refund, "order_id") is not { } orderId)
            return new MappingResult.Invalid("order_id", $"refund {refundId} names no order");

        var at = Time(refund, "processed_at") ?? Time(refund, "created_at") ?? d.TriggeredAt ?? d.ReceivedAt;
        var (key, customer) = ShopifyPeople.Buyer(refund, d.Topic, at);
        key ??= CustomerKey.ForOrder(orderId);

        var facts = new OrderFacts(orderId, RefundId: refundId, RefundAmount: RefundAmount(refund));
        return WebhookEvents.Mapped(WebhookEvents.Create(d, ShopifyMapper.Source, 0, key, EventTypes.OrderRefunded, at, customer, facts));
    }

    /// <summary>Only <c>delivered</c> matters to journeys; the carrier's other statuses are noise.</summary>
    public static MappingResult FulfillmentEvent(WebhookDelivery d)
    {
        var e = d.Payload;
        var status = Text(e, "status");
        if (!string.Equals(status, "delivered", StringComparison.OrdinalIgnoreCase))
            return new MappingResult.Ignored($"fulfillment status '{status}' is not tracked; only 'delivered' is");
        if (Id(e, "order_id") is not { } orderId)
            return new MappingResult.Invalid("order_id", "the fulfillment event names no order");

        var at = Time(e, "happened_at") ?? Time(e, "created_at") ?? d.TriggeredAt ?? d.ReceivedAt;
        var (key, customer) = ShopifyPeople.Buyer(e, d.Topic, at);
        key ??= CustomerKey.ForOrder(orderId);

        return WebhookEvents.Mapped(WebhookEvents.Create(d, ShopifyMapper.Source, 0, key, EventTypes.OrderDelivered, at, customer, new OrderFacts(orderId)));
    }

    /// <summary>
    /// What the refund returned: its successful refund transactions (which include refunded
    /// shipping and adjustments); a refund without transactions (nothing paid back, e.g. a
    /// restock-only refund of a manual-payment order) counts its lines' subtotals.
    /// </summary>
    private static decimal RefundAmount(JsonElement refund)
    {
        var transactions = Items(refund, "transactions").ToList();
        if (transactions.Count > 0)
        {
            return transactions
                .Where(t => string.Equals(Text(t, "kind"), "refund", StringComparison.OrdinalIgnoreCase)
                    && string.Equals(Text(t, "status"), "success", StringComparison.OrdinalIgnoreCase))
                .Sum(t => Amount(t, "amount") ?? 0m);
        }

        return Items(refund, "refund_line_items").Sum(line => Amount(line, "subtotal") ?? 0m);
    }

    private static List<string>? DiscountCodes(JsonElement order)
    {
        var codes = Items(order, "discount_codes").Select(c => Text(c, "code")).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return codes.Count == 0 ? null : codes;
    }

    /// <summary>The lines of an order or checkout. A quantity Shopify did not send reads as 0, unknown.</summary>
    public static List<OrderLine>? Lines(JsonElement resource)
    {
        var lines = Items(resource, "line_items")
            .Select(l => new OrderLine(
                Id(l, "product_id"),
                Text(l, "title") ?? Text(l, "name"),
                Text(l, "product_type"),
                Integer(l, "quantity") ?? 0,
                Amount(l, "price")))
            .ToList();
        return lines.Count == 0 ? null : lines;
    }
}
