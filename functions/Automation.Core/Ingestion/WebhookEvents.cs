using System.Globalization;
using System.Text.Json.Nodes;
using Automation.Core.Events;

namespace Automation.Core.Ingestion;

/// <summary>Builds the canonical events of one webhook delivery.</summary>
internal static class WebhookEvents
{
    /// <param name="index">The event's place among those the delivery yields: 0 for the first.</param>
    public static CustomerEvent Create(
        WebhookDelivery d,
        string source,
        int index,
        string customerKey,
        string type,
        DateTimeOffset occurredAt,
        CustomerFacts? customer = null,
        OrderFacts? order = null,
        JsonObject? data = null) =>
        new(Id(source, d.DeliveryId, index), d.StoreId, customerKey, type, occurredAt, d.ReceivedAt, source, customer, order, data);

    /// <summary>
    /// The first event keeps the delivery's own id; the n-th adds <c>-n</c>, so every event of a
    /// redelivery gets the same id as before. The suffix cannot make one delivery's id collide
    /// with another's: Shopify's delivery ids are UUIDs (last group 12 hex digits) and
    /// WooCommerce's are integers.
    /// </summary>
    public static string Id(string source, string deliveryId, int index) =>
        EventIds.Make(source, index == 0 ? deliveryId : deliveryId + "-" + index.ToString(CultureInfo.InvariantCulture));

    public static MappingResult.Mapped Mapped(params IReadOnlyList<CustomerEvent> events) => new(events);
}
