using System.Text.Json;
using Automation.Core.Customers;
using Automation.Core.Events;
using static Automation.Core.Ingestion.WebhookJson;

namespace Automation.Core.Ingestion.WooCommerce;

/// <summary>
/// Orders by status. WooCommerce counts <c>processing</c> and <c>completed</c> as paid
/// (<c>wc_get_is_paid_statuses</c>), and <c>completed</c> means the merchant has shipped it:
/// <list type="table">
/// <item><term><c>processing</c></term><description><c>order.placed</c>, <c>order.paid</c></description></item>
/// <item><term><c>completed</c></term><description><c>order.placed</c>, <c>order.paid</c>, <c>order.fulfilled</c></description></item>
/// <item><term><c>cancelled</c></term><description><c>order.cancelled</c></description></item>
/// <item><term><c>refunded</c></term><description><c>order.refunded</c>, refund <c>full</c> of the order total</description></item>
/// <item><term>others</term><description>ignored: <c>pending</c>, <c>on-hold</c>, <c>failed</c>,
/// <c>draft</c>, <c>checkout-draft</c> are not (yet) orders that were paid for</description></item>
/// </list>
/// Every update repeats the events its status implies (each with its own id), and each
/// <c>order.placed</c> happened at <c>date_created_gmt</c>: the profile merges them per order id
/// (earliest placement, paid once), so repeats change nothing. Journeys that trigger on
/// <c>order.placed</c> must likewise treat it per order, not per event.
/// </summary>
internal static class WooCommerceOrders
{
    private sealed record Step(string Type, Func<JsonElement, DateTimeOffset?> At);

    private static readonly Step Placed = new(EventTypes.OrderPlaced, o => Time(o, "date_created_gmt"));
    private static readonly Step Paid = new(EventTypes.OrderPaid, o => Time(o, "date_paid_gmt") ?? Time(o, "date_modified_gmt"));
    private static readonly Step Fulfilled = new(EventTypes.OrderFulfilled, o => Time(o, "date_completed_gmt") ?? Time(o, "date_modified_gmt"));
    private static readonly Step Cancelled = new(EventTypes.OrderCancelled, o => Time(o, "date_modified_gmt"));
    private static readonly Step Refunded = new(EventTypes.OrderRefunded, o => Time(o, "date_modified_gmt"));

    public static MappingResult Order(WebhookDelivery d)
    {
        var order = d.Payload;
        if (Id(order, "id") is not { } orderId)
            return new MappingResult.Invalid("id", $"the {d.Topic} payload has no order id");
        if (Text(order, "status")?.ToLowerInvariant() is not { } status)
            return new MappingResult.Invalid("status", $"order {orderId} has no status");

        Step[] steps = status switch
        {
            "processing" => [Placed, Paid],
            "completed" => [Placed, Paid, Fulfilled],
            "cancelled" => [Cancelled],
            "refunded" => [Refunded],
            _ => [],
        };
        if (steps.Length == 0)
            return new MappingResult.Ignored($"order {orderId} has status '{status}', which is not tracked (only processing, completed, cancelled and refunded are)");

        var billing = Object(order, "billing") ?? default;
        var customerId = Id(order, "customer_id");
        var email = Email(billing, "email");
        // customer_id 0 is a guest: CustomerKey refuses "0", so the email keys it.
        if (CustomerKey.For(customerId, email) is not { } key)
            return new MappingResult.Invalid("customer", $"order {orderId} has neither a customer id nor a billing email");

        var total = Amount(order, "total");
        var facts = new OrderFacts(
            orderId,
            total,
            Text(order, "currency"),
            DiscountCodes(order),
            RefundId: status == "refunded" ? "full" : null,
            RefundAmount: status == "refunded" ? total : null,
            Lines: Lines(order));
        var customer = new CustomerFacts(
            ExternalId: CustomerKey.FromExternalId(customerId) is null ? null : customerId,
            Email: email,
            FirstName: Text(billing, "first_name"),
            LastName: Text(billing, "last_name"),
            Country: Text(billing, "country"));

        var fallback = d.TriggeredAt ?? d.ReceivedAt;
        return WebhookEvents.Mapped(steps
            .Select((step, i) => WebhookEvents.Create(d, WooCommerceMapper.Source, i, key, step.Type, step.At(order) ?? fallback, customer, facts))
            .ToList());
    }

    private static List<string>? DiscountCodes(JsonElement order)
    {
        var codes = Items(order, "coupon_lines").Select(c => Text(c, "code")).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return codes.Count == 0 ? null : codes;
    }

    /// <summary>The unit price is <c>price</c> (a number; the other amounts are strings). No categories: line items do not carry them.</summary>
    private static List<OrderLine>? Lines(JsonElement order)
    {
        var lines = Items(order, "line_items")
            .Select(l => new OrderLine(Id(l, "product_id"), Text(l, "name"), null, Integer(l, "quantity") ?? 0, Amount(l, "price")))
            .ToList();
        return lines.Count == 0 ? null : lines;
    }
}
