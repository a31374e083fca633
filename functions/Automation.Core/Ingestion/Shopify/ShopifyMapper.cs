using System.Text.Json;
using Automation.Core.Events;

namespace Automation.Core.Ingestion.Shopify;

/// <summary>
/// Turns a verified Shopify webhook (REST-shaped JSON payload) into canonical events. Pure: the
/// times come from the payload, the delivery's <c>X-Shopify-Triggered-At</c>, or its receipt.
/// </summary>
/// <remarks>
/// <para>Customers are keyed by Shopify customer id, guests by their email (see
/// <see cref="Customers.CustomerKey"/>). Ids are read as text: they exceed 2^53.</para>
/// <para><c>refunds/create</c> and <c>fulfillment_events/create</c> name the order but carry no
/// customer object and no email, so they are keyed by the order
/// (<see cref="Customers.CustomerKey.ForOrder"/>) and the consumer resolves the customer through
/// its order index. Should a payload carry a <c>customer</c> or an <c>email</c>, it is keyed like an order.</para>
/// </remarks>
public static class ShopifyMapper
{
    /// <summary>The <see cref="CustomerEvent.Source"/> of every Shopify event, and the prefix of its ids.</summary>
    public const string Source = "shopify";

    /// <summary>The customer key of events about the whole shop (<c>shop/redact</c>).</summary>
    public const string ShopKey = "_shop";

    public static MappingResult Map(WebhookDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.Payload.ValueKind != JsonValueKind.Object)
            return new MappingResult.Invalid("$", $"the {d.Topic} payload must be a JSON object");

        return d.Topic switch
        {
            "orders/create" => ShopifyOrders.Order(d, EventTypes.OrderPlaced, "created_at"),
            "orders/paid" => ShopifyOrders.Order(d, EventTypes.OrderPaid, timeField: null),
            "orders/fulfilled" => ShopifyOrders.Order(d, EventTypes.OrderFulfilled, timeField: null),
            "orders/cancelled" => ShopifyOrders.Order(d, EventTypes.OrderCancelled, "cancelled_at"),
            "refunds/create" => ShopifyOrders.Refund(d),
            "fulfillment_events/create" => ShopifyOrders.FulfillmentEvent(d),
            "customers/create" => ShopifyCustomers.Customer(d, EventTypes.CustomerCreated),
            "customers/update" => ShopifyCustomers.Customer(d, EventTypes.CustomerUpdated),
            "customers_email_marketing_consent/update" => ShopifyCustomers.ConsentUpdate(d),
            "checkouts/create" => ShopifyCheckouts.Checkout(d, EventTypes.CheckoutStarted, "created_at"),
            "checkouts/update" => ShopifyCheckouts.Checkout(d, EventTypes.CheckoutUpdated, "updated_at"),
            "customers/redact" => ShopifyPrivacy.CustomerRedact(d),
            "shop/redact" => ShopifyPrivacy.ShopRedact(d),
            "customers/data_request" => new MappingResult.Ignored("data requests are answered by the store from its admin"),
            _ => new MappingResult.Ignored($"topic '{d.Topic}' is not used"),
        };
    }
}
