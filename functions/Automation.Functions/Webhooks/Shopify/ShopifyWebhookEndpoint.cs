using System.Globalization;
using Automation.Core.Ingestion;
using Automation.Core.Ingestion.Shopify;
using Automation.Functions.Hosting;

namespace Automation.Functions.Webhooks.Shopify;

/// <summary>
/// <c>POST /api/webhooks/shopify/{storeId}</c>: verify the HMAC over the raw body (401 when it
/// does not match, as Shopify's mandatory privacy webhooks require), check the required
/// headers, then map and queue. Redeliveries keep <c>X-Shopify-Event-Id</c>, which becomes the event id.
/// </summary>
public static class ShopifyWebhookEndpoint
{
    private static readonly string[] Required = ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version", "X-Shopify-Webhook-Id"];

    public static async Task<IResult> HandleAsync(string storeId, HttpRequest request, StoreDirectory stores, RequestBody reader,
        WebhookIngestion ingestion, TimeProvider time, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out var store) || store.Platform != "shopify")
            return Problems.UnknownStore(storeId, "Shopify");
        var (body, tooLarge) = await reader.ReadAsync(request, ct);
        if (tooLarge is not null) return tooLarge;

        if (ingestion.RefuseUnsigned("shopify", storeId, store.WebhookSecret, body!, request, "X-Shopify-Hmac-Sha256") is { } unsigned)
            return unsigned;
        var h = request.Headers;
        var missing = Required.Where(name => string.IsNullOrWhiteSpace(h[name])).ToList();
        if (missing.Count > 0)
            return Problems.Invalid(missing.Select(m => (m, "This Shopify webhook header is required.")));
        var domain = h["X-Shopify-Shop-Domain"].ToString();
        if (store.ShopDomain is { Length: > 0 } expected && !string.Equals(domain, expected, StringComparison.OrdinalIgnoreCase))
            return Problems.Status(StatusCodes.Status403Forbidden, "Wrong shop", $"This delivery is from '{domain}', but store '{storeId}' is connected to '{expected}'.");

        var (doc, malformed) = WebhookIngestion.Parse(body!);
        if (malformed is not null) return malformed;
        using (doc)
        {
            var eventId = h["X-Shopify-Event-Id"].ToString() is { Length: > 0 } ev ? ev : h["X-Shopify-Webhook-Id"].ToString();
            DateTimeOffset? triggered = DateTimeOffset.TryParse(h["X-Shopify-Triggered-At"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
            var delivery = new WebhookDelivery(storeId, h["X-Shopify-Topic"].ToString(), eventId, doc!.RootElement, time.GetUtcNow(), triggered);
            return await ingestion.AcceptAsync("shopify", delivery, ShopifyMapper.Map(delivery), ct);
        }
    }
}
