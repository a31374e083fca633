using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Hosting;

namespace Automation.Functions.Journeys;

/// <summary>
/// The journeys API (<c>X-Api-Key</c>): list, read, save drafts, publish, pause and resume,
/// validate and preview definitions. Validation is <see cref="JourneyReader"/>'s against the
/// catalog the app ships with; nothing invalid is stored.
/// </summary>
public static class JourneyEndpoints
{
    public static RouteGroupBuilder MapJourneys(this RouteGroupBuilder keyed)
    {
        var journeys = keyed.MapGroup("/journeys");
        journeys.MapGet("", ListAsync);
        journeys.MapPost("/validate", ValidateAsync);
        journeys.MapPost("/preview", JourneyPreviewEndpoint.HandleAsync);
        journeys.MapGet("/{id}", GetAsync);
        journeys.MapPut("/{id}", PutAsync);
        journeys.MapPost("/{id}/publish", JourneyPublishEndpoint.HandleAsync);
        journeys.MapPost("/{id}/pause", (string id, JourneyStore store, CancellationToken ct) => SetStatusAsync(id, PublishedJourney.Paused, store, ct));
        journeys.MapPost("/{id}/resume", (string id, JourneyStore store, CancellationToken ct) => SetStatusAsync(id, PublishedJourney.Active, store, ct));
        return keyed;
    }

    public static async Task<IResult> ListAsync(JourneyStore store, CancellationToken ct) =>
        Results.Ok((await store.ListAsync(ct)).Select(JourneySummary.Of));

    public static async Task<IResult> GetAsync(string id, JourneyStore store, CancellationToken ct) =>
        JourneyHttp.IsId(id) && await store.GetAsync(id, ct) is { } record ? Results.Ok(JourneyView.Of(record)) : JourneyHttp.NotFound(id);

    /// <summary><c>PUT /api/journeys/{id}</c>: saves a valid definition as the journey's draft (creating the journey).</summary>
    public static async Task<IResult> PutAsync(string id, HttpRequest request, JourneyStore store, CancellationToken ct)
    {
        var (read, problem) = await ReadDefinitionAsync(request, store.Catalog, ct);
        if (problem is not null) return problem;
        if (!read!.IsValid) return JourneyHttp.Invalid("Invalid journey definition", read.Problems);
        var definition = read.Definition!;
        if (definition.Id != id)
        {
            return JourneyHttp.Invalid("Invalid journey definition", "$.id",
                $"is '{definition.Id}' but the URL names journey '{JourneyHttp.Quote(id)}'; they must be the same");
        }

        var existed = await store.GetAsync(id, ct) is not null;
        var saved = JourneyView.Of(await store.SaveDraftAsync(definition, ct));
        return existed ? Results.Ok(saved) : Results.Created($"/api/journeys/{id}", saved);
    }

    /// <summary><c>POST /api/journeys/validate</c>: 200 either way; only a body that is not JSON at all is a 400.</summary>
    public static async Task<IResult> ValidateAsync(HttpRequest request, JourneyStore store, CancellationToken ct)
    {
        var (read, problem) = await ReadDefinitionAsync(request, store.Catalog, ct);
        if (problem is not null) return problem;
        return read!.IsValid
            ? Results.Ok(new { valid = true })
            : Results.Ok(new { valid = false, errors = read.Problems.Select(p => new JourneyError(p.Path, p.Message)) });
    }

    private static async Task<IResult> SetStatusAsync(string id, string status, JourneyStore store, CancellationToken ct)
    {
        if (!JourneyHttp.IsId(id) || await store.GetAsync(id, ct) is not { } record) return JourneyHttp.NotFound(id);
        if (record.Version == 0)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Journey not published",
                $"Journey '{id}' has never been published, so it cannot be {(status == PublishedJourney.Paused ? "paused" : "resumed")}; publish it first.");
        }
        // Null only when the journey vanished between the two reads.
        return await store.SetStatusAsync(id, status, ct) is { } updated
            ? Results.Ok(new JourneyStatusView(updated.Id, updated.Status, updated.Version))
            : JourneyHttp.NotFound(id);
    }

    private static async Task<(JourneyReadResult? Read, IResult? Problem)> ReadDefinitionAsync(HttpRequest request, JourneyCatalog catalog, CancellationToken ct)
    {
        var (body, tooLarge) = await JourneyHttp.ReadAsync(request, JourneyHttp.MaxDefinitionBytes, ct);
        if (tooLarge is not null) return (null, tooLarge);
        var (text, malformed) = JourneyHttp.Json(body!);
        return malformed is not null ? (null, malformed) : (JourneyReader.Read(text!, catalog), null);
    }
}
