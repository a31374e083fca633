using System.Text.Json;
using Automation.Core.Journeys.Engine;
using Automation.Core.Journeys.Preview;
using Automation.Functions.Hosting;

namespace Automation.Functions.Journeys;

/// <summary>
/// <c>POST /api/journeys/preview</c>: runs a definition for one made-up customer through
/// <see cref="JourneySimulator"/> (the engine, an in-memory store and a virtual clock) and answers
/// every step, email, coupon, notification and wait it would produce, and when. Nothing is sent,
/// nothing is stored: the endpoint touches no table and no queue.
/// </summary>
public static class JourneyPreviewEndpoint
{
    /// <summary>
    /// A journey that waits a minute in a loop would wake a million times in two years; a preview
    /// stops after this many wake-ups and says so.
    /// </summary>
    public const int MaxWakeUps = 10_000;

    public static async Task<IResult> HandleAsync(HttpRequest request, JourneyStore journeys, StoreDirectory stores, RequestBody reader, CancellationToken ct)
    {
        var (body, tooLarge) = await reader.ReadAsync(request, ct);
        if (tooLarge is not null) return tooLarge;
        var (text, malformed) = JourneyHttp.Json(body!);
        if (malformed is not null) return malformed;

        PreviewRequest? preview;
        IReadOnlyList<Core.Journeys.Definitions.JourneyProblem> errors;
        try
        {
            // Repeated names are refused here, where they are ambiguous (which "at" did they mean?).
            using var document = JsonDocument.Parse(text!, new JsonDocumentOptions { AllowDuplicateProperties = false });
            (preview, errors) = new PreviewReader(journeys.Catalog, id => stores.TryGet(id, out _) ? stores.Settings(id) : null).Read(document.RootElement);
        }
        catch (JsonException ex)
        {
            return JourneyHttp.Malformed(ex.Message);
        }
        if (preview is null) return JourneyHttp.Invalid("Invalid preview request", errors);
        return Results.Ok(Run(preview, journeys));
    }

    private static PreviewView Run(PreviewRequest p, JourneyStore journeys)
    {
        var library = new JourneyLibrary([PublishedJourney.Single(p.Definition)], journeys.Catalog);
        var sim = new JourneySimulator(p.Store, library, PreviewReader.CustomerKey).StartAt(p.Start, p.Profile);
        var wakeUps = 0;
        string? stopped = null;

        // Timers fire one due time at a time, so a runaway loop is stopped at the cap, not after it.
        bool AdvanceTo(DateTimeOffset target)
        {
            while (sim.Timers.FirstOrDefault() is { } next && next.DueAt <= target)
            {
                if (++wakeUps > MaxWakeUps)
                {
                    stopped = $"stopped at {sim.Now:O} after {MaxWakeUps} wake-ups; preview a shorter period";
                    return false;
                }
                sim.AdvanceTo(next.DueAt);
            }
            sim.AdvanceTo(target);
            return true;
        }

        var completed = true;
        foreach (var e in p.Events)
        {
            if (!(completed = AdvanceTo(e.At))) break;
            sim.Event(e.Type, e.Order, e.Data, at: e.At);
        }
        if (completed) AdvanceTo(p.Until);
        return PreviewView.Of(sim, p, stopped);
    }
}
