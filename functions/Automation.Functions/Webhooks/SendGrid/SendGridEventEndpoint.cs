using System.Text.Json;
using Automation.Functions.Hosting;

namespace Automation.Functions.Webhooks.SendGrid;

/// <summary>
/// <c>POST /api/webhooks/sendgrid</c>: SendGrid's Event Webhook. Refuses what SendGrid did not sign (401),
/// then records each event id once and applies the new ones (<see cref="SendGridEventApplier"/>). Answers
/// 200 only when everything is stored; otherwise 503, and SendGrid's redelivery is safe because of the ids.
/// </summary>
public static class SendGridEventEndpoint
{
    public static async Task<IResult> HandleAsync(HttpRequest request, RequestBody reader, SendGridSignature signature,
        SendGridEventApplier applier, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(SendGridEventEndpoint));
        var (body, tooLarge) = await reader.ReadAsync(request, ct);
        if (tooLarge is not null) return tooLarge;
        if (signature.Refuse(request, body!) is { } reason)
        {
            Log.SendGridEventsRefused(log, StatusCodes.Status401Unauthorized, reason);
            return Problems.Status(StatusCodes.Status401Unauthorized, "Invalid signature", reason);
        }

        var (events, malformed) = Parse(body!);
        if (malformed is not null)
        {
            Log.SendGridEventsRefused(log, StatusCodes.Status400BadRequest, "malformed body");
            return malformed;
        }
        try
        {
            var outcome = await applier.ApplyAsync(events!, ct);
            Log.SendGridEventsAccepted(log, events!.Count, outcome.Applied, outcome.Duplicates, outcome.Ignored);
            return Results.Ok(new { received = events.Count, applied = outcome.Applied, duplicates = outcome.Duplicates, ignored = outcome.Ignored });
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Log.SendGridEventsFailed(log, ex);
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Not stored", "The events could not be stored; deliver them again (event ids make that safe).");
        }
    }

    private static (IReadOnlyList<SendGridEvent>? Events, IResult? Problem) Parse(byte[] body)
    {
        if (body.Length == 0) return (null, Problems.Invalid("$", "The body is empty; a JSON array of events was expected."));
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return (null, Problems.Invalid("$", "The body must be a JSON array of events."));
            var events = new List<SendGridEvent>();
            var index = 0;
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object) return (null, Problems.Invalid($"$[{index}]", "Each event must be a JSON object."));
                events.Add(SendGridEvent.From(e));
                index++;
            }
            return (events, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Invalid("$", $"Malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}."));
        }
    }
}
