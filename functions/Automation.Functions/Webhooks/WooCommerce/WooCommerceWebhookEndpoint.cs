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
        WebhookIngestion ingestion, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(WooCommerceWebhookEndpoint));
        if (!stores.TryGet(storeId, out var store) || store.Platform != "woocommerce")
            return Problems.UnknownStore(storeId, "WooCommerce");
        var (body, tooLarge) = await reader.ReadAsync(request, ct);
        if (tooLarge is not null) return tooLarge;

        var h = request.Headers;
        var signature = h["X-WC-Webhook-Signature"].ToString();
        if (signature.Length == 0 && IsPing(request, body!))
            return Results.Ok(new { status = "ping" });
        if (signature.Length == 0 || !WebhookSignature.IsValidHmacSha256Base64(body, store.WebhookSecret, signature))
        {
            var reason = signature.Length == 0 ? "The X-WC-Webhook-Signature header is missing." : "The X-WC-Webhook-Signature signature does not match the body.";
            Log.WebhookRefused(log, "woocommerce", storeId, 401, reason);
            return Problems.Status(StatusCodes.Status401Unauthorized, "Invalid signature", reason);
        }
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
