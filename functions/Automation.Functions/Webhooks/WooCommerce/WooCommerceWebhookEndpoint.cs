using System.Text;
using Automation.Core.Ingestion;
using Automation.Core.Ingestion.WooCommerce;
using Automation.Functions.Hosting;

namespace Automation.Functions.Webhooks.WooCommerce;

/// <summary>
/// <c>POST /api/webhooks/woocommerce/{storeId}</c>: answers the unsigned creation ping
/// (<c>webhook_id=…</c>, form-encoded) with 200, verifies <c>X-WC-Webhook-Signature</c> on
/// everything else, then maps and queues.
/// </summary>
public static class WooCommerceWebhookEndpoint
{
    public static async Task<IResult> HandleAsync(string storeId, HttpRequest request, StoreDirectory stores, RequestBody reader,
        WebhookIngestion ingestion, TimeProvider time, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out var store) || store.Platform != "woocommerce")
            return Problems.UnknownStore(storeId, "WooCommerce");
        var (body, tooLarge) = await reader.ReadAsync(request, ct);
        if (tooLarge is not null) return tooLarge;

        var h = request.Headers;
        if (string.IsNullOrEmpty(h["X-WC-Webhook-Signature"]) && IsPing(request, body!))
            return Results.Ok(new { status = "ping" });
        if (ingestion.RefuseUnsigned("woocommerce", storeId, store.WebhookSecret, body!, request, "X-WC-Webhook-Signature") is { } unsigned)
            return unsigned;
        var missing = new[] { "X-WC-Webhook-Topic", "X-WC-Webhook-Delivery-ID" }.Where(name => string.IsNullOrWhiteSpace(h[name])).ToList();
        if (missing.Count > 0)
            return Problems.Invalid(missing.Select(m => (m, "This WooCommerce webhook header is required.")));

        var (doc, malformed) = WebhookIngestion.Parse(body!);
        if (malformed is not null) return malformed;
        using (doc)
        {
            var delivery = new WebhookDelivery(storeId, h["X-WC-Webhook-Topic"].ToString(), h["X-WC-Webhook-Delivery-ID"].ToString(), doc!.RootElement, time.GetUtcNow());
            return await ingestion.AcceptAsync("woocommerce", delivery, WooCommerceMapper.Map(delivery), ct);
        }
    }

    /// <summary>WooCommerce's test delivery when a webhook is saved: <c>webhook_id=&lt;id&gt;</c>, form-encoded, unsigned.</summary>
    private static bool IsPing(HttpRequest request, byte[] body) =>
        request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
        && body.Length < 256
        && Encoding.ASCII.GetString(body).StartsWith("webhook_id=", StringComparison.Ordinal);
}
