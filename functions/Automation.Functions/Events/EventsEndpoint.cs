using Automation.Core.Ingestion.Api;
using Automation.Functions.Hosting;
using Automation.Functions.Queues;

namespace Automation.Functions.Events;

/// <summary>
/// <c>POST /api/events/{storeId}</c> (<c>X-Api-Key</c>): the store's own behaviour events, one
/// object or an array. All or nothing: one bad event refuses the request and names every bad field.
/// </summary>
public static class EventsEndpoint
{
    public static async Task<IResult> HandleAsync(string storeId, HttpRequest request, StoreDirectory stores, RequestBody reader,
        IEventQueue queue, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        var (body, tooLarge) = await reader.ReadAsync(request, ct);
        if (tooLarge is not null) return tooLarge;

        var parsed = ApiEventParser.Parse(body, storeId, time.GetUtcNow(), () => Guid.CreateVersion7(time.GetUtcNow()).ToString("N"));
        if (parsed.Errors.Count > 0) return Problems.Invalid(parsed.Errors.Select(e => (e.Field, e.Message)));
        try
        {
            await queue.PublishAsync(parsed.Events, ct);
        }
        catch (EventRefusedException refused)
        {
            // Nothing was queued (every event is checked before the first is sent): the caller can shrink or split it.
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Event too large", refused.Message);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Log.QueueUnavailable(logs.CreateLogger(typeof(EventsEndpoint)), ex, parsed.Events.Count, storeId);
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Queue unavailable", "The events could not be queued; send them again (ids make that safe).");
        }
        return Results.Accepted(value: new { accepted = parsed.Events.Count, ids = parsed.Events.Select(e => e.Id) });
    }
}
