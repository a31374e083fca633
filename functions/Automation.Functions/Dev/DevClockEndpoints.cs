using System.Text.Json;
using Automation.Core.Journeys.Definitions;
using Automation.Functions.Hosting;
using Automation.Functions.Journeys;
using Automation.Functions.Queues;
using Automation.Functions.Storage;

namespace Automation.Functions.Dev;

/// <summary>Moves a clock that can be moved: the <see cref="VirtualClock"/>, or a test's fake clock.</summary>
public interface IClockMover
{
    void MoveTo(DateTimeOffset at);
}

internal sealed class VirtualClockMover(VirtualClock clock) : IClockMover
{
    public void MoveTo(DateTimeOffset at) => clock.MoveTo(at);
}

/// <summary>
/// <c>/api/dev/clock</c>, mapped only with <c>Automation__Clock=Virtual</c>: read the time, or move
/// it forward (the time is kept across restarts). Moving goes from due timer to due timer, sweeping and draining the local queue at
/// each, so a journey's steps happen at their own times (a 3-day wait after a delivery on day 2
/// fires on day 5, not at the end of a 30-day jump).
/// </summary>
public static class DevClockEndpoints
{
    private const int MaxRounds = 10_000;

    public static void MapDevClock(this RouteGroupBuilder keyed)
    {
        keyed.MapGet("/dev/clock", (TimeProvider time) => Results.Ok(new { now = time.GetUtcNow(), clock = "virtual" }));
        keyed.MapPost("/dev/clock", MoveAsync);
    }

    private static async Task<IResult> MoveAsync(HttpRequest request, TimeProvider time, IClockMover mover, TimerTable timers, TimerSweeper sweeper,
        StorageQueueConsumer consumer, VirtualClockStore saved, ILogger<VirtualClock> log, CancellationToken ct)
    {
        DateTimeOffset target;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Problems.Status(400, "Invalid clock request", "The body must be a JSON object: {\"advance\": \"P30D\"} or {\"to\": \"2026-12-24T10:00:00Z\"}.");
            var unknown = root.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n is not ("advance" or "to"));
            if (unknown is not null) return Problems.Status(400, "Invalid clock request", $"'{unknown}' is not a field here; use \"advance\" or \"to\".");
            if (root.TryGetProperty("advance", out var advance))
            {
                string? problem = "must be a string";
                var by = TimeSpan.Zero;
                if (advance.ValueKind != JsonValueKind.String || !IsoDuration.TryParse(advance.GetString(), out by, out problem) || by <= TimeSpan.Zero)
                    return Problems.Status(400, "Invalid clock request", $"advance must be a positive ISO 8601 duration such as \"P30D\"{(problem is null ? "" : ": " + problem)}.");
                target = time.GetUtcNow() + by;
            }
            else if (root.TryGetProperty("to", out var to) && to.ValueKind == JsonValueKind.String && to.TryGetDateTimeOffset(out var at))
            {
                if (at < time.GetUtcNow()) return Problems.Status(409, "The clock only moves forward", $"It is already {time.GetUtcNow():O}.");
                target = at;
            }
            else return Problems.Status(400, "Invalid clock request", "Give \"advance\" (an ISO 8601 duration) or \"to\" (an ISO 8601 time with offset).");
        }
        catch (JsonException ex)
        {
            return Problems.Status(400, "Malformed JSON", $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
        }

        // Events already accepted happened now, not at the target: apply them before time moves
        // (the local consumer may not have reached them yet when the request comes right after them).
        await consumer.DrainAsync(ct);
        var fired = 0;
        for (var round = 0; round < MaxRounds && await timers.EarliestDueAsync(target, ct) is { } next; round++)
        {
            mover.MoveTo(next);
            fired += await sweeper.SweepAsync(ct);
            await consumer.DrainAsync(ct);
        }
        mover.MoveTo(target);
        fired += await sweeper.SweepAsync(ct);
        await consumer.DrainAsync(ct);
        await saved.SaveAsync(time.GetUtcNow(), ct);
        Log.ClockMoved(log, time.GetUtcNow(), fired);
        return Results.Ok(new { now = time.GetUtcNow(), fired });
    }
}
