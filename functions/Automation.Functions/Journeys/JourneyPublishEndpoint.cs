using System.Collections.Immutable;
using System.Text.Json;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Core.Journeys.Publishing;
using Automation.Functions.Hosting;
using Automation.Functions.Storage;

namespace Automation.Functions.Journeys;

/// <summary>
/// <c>POST /api/journeys/{id}/publish[?dryRun=true]</c> with an optional body
/// <c>{"inFlight": "finish"|"move", "missingStep": "stay"|"exit"}</c>: makes the draft the next
/// immutable version. A dry run answers what would change (the diff against the current version,
/// and what happens to the instances in flight) and changes nothing.
/// </summary>
public static class JourneyPublishEndpoint
{
    private const int MaxBodyBytes = 4 * 1024;
    private const string Title = "Invalid publish request";

    public static async Task<IResult> HandleAsync(string id, HttpRequest request, JourneyStore store, CustomerTable customers, CancellationToken ct)
    {
        if (!JourneyHttp.IsId(id)) return JourneyHttp.NotFound(id);
        if (DryRun(request) is not { } dryRun)
            return JourneyHttp.Invalid(Title, "dryRun", "must be true or false");
        var (body, tooLarge) = await JourneyHttp.ReadAsync(request, MaxBodyBytes, ct);
        if (tooLarge is not null) return tooLarge;
        var (policy, problem) = ReadPolicy(body!);
        if (problem is not null) return problem;

        if (await store.GetAsync(id, ct) is not { } record) return JourneyHttp.NotFound(id);
        if (record.Draft is not { } draft) return NothingNew(record, "there is no draft; save one with PUT first");

        // The catalog may have lost a template or pool since the draft was saved.
        var check = JourneyReader.Read(JsonSerializer.SerializeToNode(draft, EventJson.Options), store.Catalog);
        if (!check.IsValid) return JourneyHttp.Invalid("The draft is not valid any more", check.Problems);
        var diff = JourneyDiff.Between(record.Current, draft);
        if (diff.IsEmpty) return NothingNew(record, "the draft is the same as the current version");

        if (dryRun)
        {
            var impact = PublishImpact.Of(Published(record), draft, policy!, await customers.CountActiveInstancesAsync(id, ct));
            return Results.Ok(new { journey = id, fromVersion = record.Version, toVersion = impact.ToVersion, diff, impact });
        }

        return await store.PublishAsync(id, policy!, ct) switch
        {
            PublishOutcome.Published when await store.GetAsync(id, ct) is { } published => Results.Ok(JourneyView.Of(published)),
            PublishOutcome.NothingToPublish => NothingNew(record, "the draft was published by someone else meanwhile"),
            PublishOutcome.Conflict => Problems.Status(StatusCodes.Status409Conflict, "Publish conflict",
                $"Journey '{id}' changed while it was being published; read it again and retry."),
            _ => JourneyHttp.NotFound(id),
        };
    }

    /// <summary>null when <c>dryRun</c> is there but neither true nor false.</summary>
    private static bool? DryRun(HttpRequest request)
    {
        if (!request.Query.TryGetValue("dryRun", out var values)) return false;
        return values.ToString().ToUpperInvariant() switch
        {
            "" or "TRUE" or "1" => true,
            "FALSE" or "0" => false,
            _ => null,
        };
    }

    private static (MigrationPolicy? Policy, IResult? Problem) ReadPolicy(byte[] body)
    {
        if (body.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0) return (MigrationPolicy.Default, null);
        var (text, malformed) = JourneyHttp.Json(body);
        if (malformed is not null) return (null, malformed);
        using var document = JsonDocument.Parse(text!);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return (null, JourneyHttp.Invalid(Title, "$", "must be an object: {\"inFlight\": \"finish\" or \"move\", \"missingStep\": \"stay\" or \"exit\"}"));

        var errors = new List<JourneyProblem>();
        string? Choice(string name, string fallback, params string[] allowed)
        {
            if (!root.TryGetProperty(name, out var value)) return fallback;
            if (value.ValueKind == JsonValueKind.String && allowed.Contains(value.GetString(), StringComparer.Ordinal)) return value.GetString();
            errors.Add(new JourneyProblem("$." + name, $"must be \"{string.Join("\" or \"", allowed)}\""));
            return null;
        }

        foreach (var p in root.EnumerateObject())
            if (p.Name is not ("inFlight" or "missingStep"))
                errors.Add(new JourneyProblem("$." + p.Name, $"unknown field '{JourneyHttp.Quote(p.Name)}'; allowed: inFlight, missingStep"));
        var inFlight = Choice("inFlight", MigrationPolicy.Finish, MigrationPolicy.Finish, MigrationPolicy.Move);
        var missingStep = Choice("missingStep", MigrationPolicy.Stay, MigrationPolicy.Stay, MigrationPolicy.Exit);
        return errors.Count > 0 ? (null, JourneyHttp.Invalid(Title, errors)) : (new MigrationPolicy(inFlight!, missingStep!), null);
    }

    private static IResult NothingNew(JourneyRecord record, string why) => Problems.Status(StatusCodes.Status409Conflict, "Nothing to publish",
        record.Version == 0 ? $"Journey '{record.Id}' has nothing to publish: {why}." : $"Journey '{record.Id}' is at version {record.Version} and {why}.");

    /// <summary>The journey as the engine sees it, from the record just read (the engine's library is cached).</summary>
    private static PublishedJourney? Published(JourneyRecord r) => r.Version == 0 ? null : new PublishedJourney
    {
        Id = r.Id,
        Status = r.Status,
        Version = r.Version,
        Versions = r.Versions.ToImmutableSortedDictionary(v => v.Version, v => v.Definition),
        Migrations = r.Versions.ToImmutableSortedDictionary(v => v.Version, v => v.Migration),
    };
}
