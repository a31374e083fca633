using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Events;
using static Automation.Core.Ingestion.WebhookJson;

namespace Automation.Core.Ingestion.Shopify;

/// <summary>The mandatory privacy topics that erase data.</summary>
internal static class ShopifyPrivacy
{
    /// <summary>
    /// <c>customers/redact</c>: <c>{shop_id, shop_domain, customer: {id, email, phone},
    /// orders_to_redact}</c>. One <c>customer.redacted</c> per key the person may have been
    /// stored under: by id, and by email for what they bought as a guest before (or without)
    /// an account. The events carry no personal data.
    /// </summary>
    public static MappingResult CustomerRedact(WebhookDelivery d)
    {
        var customer = Object(d.Payload, "customer") ?? default;
        var keys = new[] { CustomerKey.FromExternalId(Id(customer, "id")), CustomerKey.FromEmail(Email(customer, "email")) }
            .OfType<string>()
            .ToList();
        if (keys.Count == 0)
            return new MappingResult.Invalid("customer", "the redaction names neither a customer id nor an email");

        // Erasure is about now: the payload has no time, and events that occurred before the
        // redaction must not bring the data back.
        var at = d.TriggeredAt ?? d.ReceivedAt;
        var orders = Items(d.Payload, "orders_to_redact").Select(IdOf).OfType<string>().ToList();
        return WebhookEvents.Mapped(keys
            .Select((key, i) => WebhookEvents.Create(d, ShopifyMapper.Source, i, key, EventTypes.CustomerRedacted, at,
                data: new JsonObject { ["ordersToRedact"] = new JsonArray([.. orders.Select(o => JsonValue.Create(o))]) }))
            .ToList());
    }

    /// <summary><c>shop/redact</c>, 48 hours after the app is uninstalled: everything of the store goes.</summary>
    public static MappingResult ShopRedact(WebhookDelivery d) =>
        WebhookEvents.Mapped(WebhookEvents.Create(d, ShopifyMapper.Source, 0, ShopifyMapper.ShopKey, EventTypes.ShopRedacted, d.TriggeredAt ?? d.ReceivedAt));
}
