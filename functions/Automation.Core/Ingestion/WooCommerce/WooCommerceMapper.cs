using System.Text.Json;
using Automation.Core.Events;

namespace Automation.Core.Ingestion.WooCommerce;

/// <summary>
/// Turns a verified WooCommerce webhook (a REST v3 resource) into canonical events. Pure: the
/// times come from the payload, the delivery, or its receipt. The ping WooCommerce sends when a
/// webhook is created is the endpoint's business and never reaches this mapper.
/// </summary>
/// <remarks>
/// WooCommerce has no order lifecycle topics, only <c>order.created</c> and
/// <c>order.updated</c> carrying a <c>status</c>; <see cref="WooCommerceOrders"/> says which
/// statuses become which events. There is no standard consent field, so no consent is
/// reported; nor a locale. Guests (<c>customer_id: 0</c>) are keyed by <c>billing.email</c>.
/// </remarks>
public static class WooCommerceMapper
{
    /// <summary>The <see cref="CustomerEvent.Source"/> of every WooCommerce event, and the prefix of its ids.</summary>
    public const string Source = "woocommerce";

    public static MappingResult Map(WebhookDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.Payload.ValueKind != JsonValueKind.Object)
            return new MappingResult.Invalid("$", $"the {d.Topic} payload must be a JSON object");

        return d.Topic switch
        {
            "order.created" or "order.updated" => WooCommerceOrders.Order(d),
            "order.deleted" => new MappingResult.Ignored("a deleted order is store bookkeeping, not something the customer did; the payload is only its id"),
            "customer.created" => WooCommerceCustomers.Customer(d, EventTypes.CustomerCreated, "date_created_gmt"),
            "customer.updated" => WooCommerceCustomers.Customer(d, EventTypes.CustomerUpdated, "date_modified_gmt"),
            "customer.deleted" => WooCommerceCustomers.Deleted(d),
            _ => new MappingResult.Ignored($"topic '{d.Topic}' is not used"),
        };
    }
}
