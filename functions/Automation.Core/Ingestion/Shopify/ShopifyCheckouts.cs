using System.Text.Json.Nodes;
using static Automation.Core.Ingestion.WebhookJson;

namespace Automation.Core.Ingestion.Shopify;

/// <summary><c>checkouts/create</c> and <c>checkouts/update</c>: the raw material of abandoned-cart journeys.</summary>
internal static class ShopifyCheckouts
{
    /// <remarks>
    /// A checkout is not an order, so it carries no <see cref="Events.OrderFacts"/> (the profile
    /// would count it); what an abandoned-cart email needs goes in <c>data</c>. A checkout with
    /// neither a customer nor an email has nobody to write to and yields no events.
    /// </remarks>
    public static MappingResult Checkout(WebhookDelivery d, string type, string timeField)
    {
        var checkout = d.Payload;
        if ((Text(checkout, "token") ?? Id(checkout, "id")) is not { } token)
            return new MappingResult.Invalid("token", "the checkout has neither a token nor an id");

        var at = Time(checkout, timeField) ?? Time(checkout, "updated_at") ?? d.TriggeredAt ?? d.ReceivedAt;
        var (key, customer) = ShopifyPeople.Buyer(checkout, d.Topic, at);
        if (key is null) return WebhookEvents.Mapped();

        var data = new JsonObject { ["checkoutToken"] = token };
        if (Amount(checkout, "total_price") is { } total) data["total"] = total;
        if (Text(checkout, "currency") is { } currency) data["currency"] = currency;
        if (Text(checkout, "abandoned_checkout_url") is { } url) data["recoveryUrl"] = url;
        return WebhookEvents.Mapped(WebhookEvents.Create(d, ShopifyMapper.Source, 0, key, type, at, customer, data: data));
    }
}
