using System.Text.Json;

namespace Automation.Core.Ingestion;

/// <summary>A verified webhook delivery, ready to be mapped.</summary>
/// <param name="DeliveryId">The platform's id for this delivery's event, stable across retries
/// (Shopify: <c>X-Shopify-Event-Id</c>, else <c>X-Shopify-Webhook-Id</c>; WooCommerce:
/// <c>X-WC-Webhook-Delivery-ID</c>). Already restricted to key-safe characters.</param>
/// <param name="TriggeredAt">When the platform says the event happened, if it says.</param>
public sealed record WebhookDelivery(
    string StoreId,
    string Topic,
    string DeliveryId,
    JsonElement Payload,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? TriggeredAt = null);
