using System.Collections.Immutable;
using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Journeys.Engine;

/// <summary>What publishing a version does to instances already running on older versions.</summary>
/// <param name="InFlight"><c>finish</c> (default): they finish on their version; <c>move</c>: they move to this version at the step with the same id.</param>
/// <param name="MissingStep">For <c>move</c>, when their step is not in this version: <c>stay</c> on their version, or <c>exit</c>.</param>
public sealed record MigrationPolicy(string InFlight, string MissingStep = MigrationPolicy.Stay)
{
    public const string Finish = "finish", Move = "move", Stay = "stay", Exit = "exit";
    public static readonly MigrationPolicy Default = new(Finish);
}

/// <summary>A journey as the engine sees it: every published version, the current one, its status.</summary>
public sealed record PublishedJourney
{
    public const string Active = "active", Paused = "paused";

    public required string Id { get; init; }
    public string Status { get; init; } = Active;
    public required int Version { get; init; }
    public required ImmutableSortedDictionary<int, JourneyDefinition> Versions { get; init; }

    /// <summary>The policy each version was published with (absent: <see cref="MigrationPolicy.Default"/>).</summary>
    public ImmutableSortedDictionary<int, MigrationPolicy> Migrations { get; init; } = ImmutableSortedDictionary<int, MigrationPolicy>.Empty;

    public JourneyDefinition Current => Versions[Version];
    public bool IsPaused => Status == Paused;

    public static PublishedJourney Single(JourneyDefinition d, string status = Active) => new()
    {
        Id = d.Id,
        Status = status,
        Version = 1,
        Versions = ImmutableSortedDictionary<int, JourneyDefinition>.Empty.Add(1, d),
    };
}

/// <summary>The published journeys the engine decides with, and the catalog their steps name.</summary>
public sealed class JourneyLibrary
{
    private readonly Dictionary<string, PublishedJourney> _byId;
    private readonly ILookup<string, PublishedJourney> _byTrigger;

    public JourneyLibrary(IEnumerable<PublishedJourney> journeys, JourneyCatalog catalog)
    {
        _byId = journeys.ToDictionary(j => j.Id, StringComparer.Ordinal);
        _byTrigger = _byId.Values.Where(j => j.Current.Trigger.Event is not null).ToLookup(j => j.Current.Trigger.Event!, StringComparer.Ordinal);
        Catalog = catalog;
    }

    public static readonly JourneyLibrary Empty = new([], JourneyCatalog.Empty);

    public JourneyCatalog Catalog { get; }
    public IReadOnlyCollection<PublishedJourney> All => _byId.Values;

    public PublishedJourney? Get(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Journeys whose current version starts on this event type.</summary>
    public IEnumerable<PublishedJourney> TriggeredBy(string eventType) => _byTrigger[eventType];
}
