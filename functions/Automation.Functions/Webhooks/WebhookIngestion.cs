using System.Text.Json;
using Automation.Core.Ingestion;
using Automation.Functions.Hosting;
using Automation.Functions.Queues;

namespace Automation.Functions.Webhooks;

/// <summary>
/// What every webhook does once its signature checks out: parse, map to canonical events, queue,
/// answer. Processing happens off the request, so a delivery is answered in milliseconds.
/// </summary>
public sealed class WebhookIngestion(IEventQueue queue, ParkedMessages parked, ILogger<WebhookIngestion> log)
{
    /// <summary>The <c>queue</c> of parked deliveries the events queue refused.</summary>
    public const string ParkedQueue = "webhook";

    /// <summary>
    /// The signature check both platforms share: base64 HMAC-SHA256 of the raw body with the
    /// store's secret, in <paramref name="header"/>. Null when it matches, else a 401 naming why.
    /// </summary>
    public IResult? RefuseUnsigned(string source, string storeId, string secret, byte[] body, HttpRequest request, string header)
    {
        if (string.IsNullOrEmpty(secret))
        {
            // Anyone can sign with an empty key: never check against it. 503, not 401: the setting is ours to fix,
            // and the platform keeps the delivery and tries again.
            var missing = $"Store '{storeId}' has no webhook secret configured (Automation__Stores__{storeId}__WebhookSecret); deliver again later.";
            Log.WebhookRefused(log, source, storeId, StatusCodes.Status503ServiceUnavailable, missing);
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Store not ready", missing);
        }
        var signature = request.Headers[header].ToString();
        if (signature.Length > 0 && WebhookSignature.IsValidHmacSha256Base64(body, secret, signature)) return null;
        var reason = signature.Length == 0 ? $"The {header} header is missing." : $"The {header} signature does not match the body.";
        Log.WebhookRefused(log, source, storeId, StatusCodes.Status401Unauthorized, reason);
        return Problems.Status(StatusCodes.Status401Unauthorized, "Invalid signature", reason);
    }

    public static (JsonDocument? Doc, IResult? Problem) Parse(byte[] body)
    {
        if (body.Length == 0) return (null, Problems.Invalid("$", "The body is empty; a JSON object was expected."));
        try
        {
            var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return (doc, null);
            doc.Dispose();
            return (null, Problems.Invalid("$", "The body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (null, Problems.Invalid("$", $"Malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}."));
        }
    }

    public async Task<IResult> AcceptAsync(string source, WebhookDelivery delivery, MappingResult mapped, CancellationToken ct)
    {
        switch (mapped)
        {
            case MappingResult.Invalid invalid:
                Log.WebhookRefused(log, source, delivery.StoreId, 400, invalid.Message);
                return Problems.Invalid(invalid.Field, invalid.Message);
            case MappingResult.Ignored ignored:
                Log.WebhookIgnored(log, source, delivery.StoreId, delivery.Topic, ignored.Reason);
                return Results.Ok(new { status = "ignored", reason = ignored.Reason });
            case MappingResult.Mapped { Events: var events }:
                try
                {
                    if (events.Count > 0) await queue.PublishAsync(events, ct);
                }
                catch (EventRefusedException refused)
                {
                    // No redelivery can make it fit, and a platform whose deliveries keep failing drops the
                    // subscription: keep the delivery's events for an operator (GET /api/parked) and accept it.
                    foreach (var e in events)
                        await parked.ParkAsync(ParkedQueue, e.Id, refused.Message, 0, new BinaryData(Automation.Core.Events.EventJson.Serialize(e)), ct);
                    Log.WebhookParked(log, source, delivery.StoreId, delivery.Topic, events.Count, refused.Message);
                    return Results.Ok(new { status = "parked", reason = refused.Message, ids = events.Select(e => e.Id) });
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // Answering non-2xx makes the platform redeliver later; nothing is lost.
                    Log.QueueUnavailable(log, ex, events.Count, delivery.StoreId);
                    return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Queue unavailable", "The event could not be queued; deliver it again later.");
                }
                Log.WebhookAccepted(log, source, delivery.StoreId, delivery.Topic, events.Count);
                return Results.Ok(new { status = "accepted", events = events.Count, ids = events.Select(e => e.Id) });
            default:
                throw new InvalidOperationException($"Unexpected mapping result {mapped.GetType().Name}.");
        }
    }
}
