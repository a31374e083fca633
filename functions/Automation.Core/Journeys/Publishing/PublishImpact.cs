using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;

namespace Automation.Core.Journeys.Publishing;

/// <summary>
/// What publishing a new version would do to the instances in flight, from their counts by
/// (version, step). It replays the engine's own migration rule (<see cref="JourneyEngine"/>: an
/// instance walks the newer versions in order; one published with <c>finish</c> is passed over,
/// one published with <c>move</c> takes it when it has the instance's step, and when it has not,
/// <c>missingStep</c> says stay, which ends the walk, or exit). So an instance two versions behind
/// is judged through the version in between, not only against the step list of the new one.
/// </summary>
/// <param name="ToVersion">The version the publish would make.</param>
/// <param name="InFlight">Active instances of every version.</param>
/// <param name="Moving">Of those, how many would move to <paramref name="ToVersion"/> at their step.</param>
/// <param name="Staying">How many would go on where they are (on their own version, or one they move to anyway).</param>
/// <param name="Exiting">How many would end, their step being gone.</param>
/// <param name="Steps">The same, per (version, step), in version then step order.</param>
public sealed record PublishImpact(
    MigrationPolicy Policy,
    int ToVersion,
    int InFlight,
    int Moving,
    int Staying,
    int Exiting,
    IReadOnlyList<VersionCount> Versions,
    IReadOnlyList<StepImpact> Steps)
{
    public const string Moves = "moves", Stays = "stays", Exits = "exits";

    /// <param name="published">The journey as published now, or null when it never was.</param>
    /// <param name="next">The definition about to be published.</param>
    /// <param name="policy">The migration policy it would be published with.</param>
    /// <param name="active">Active instances by the version and step they are stored at.</param>
    public static PublishImpact Of(PublishedJourney? published, JourneyDefinition next, MigrationPolicy policy,
        IReadOnlyDictionary<(int Version, string Step), int> active)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(active);
        var toVersion = (published?.Versions.Keys.Max() ?? 0) + 1;
        var versions = (published?.Versions.Select(v => (v.Key, v.Value, published.Migrations.GetValueOrDefault(v.Key) ?? MigrationPolicy.Default)) ?? [])
            .Append((toVersion, next, policy))
            .ToList();

        var steps = active.Where(a => a.Value > 0)
            .OrderBy(a => a.Key.Version).ThenBy(a => a.Key.Step, StringComparer.Ordinal)
            .Select(a => Walk(a.Key.Version, a.Key.Step, a.Value, versions, toVersion))
            .ToList();
        return new PublishImpact(
            policy,
            toVersion,
            steps.Sum(s => s.Count),
            steps.Where(s => s.Outcome == Moves).Sum(s => s.Count),
            steps.Where(s => s.Outcome == Stays).Sum(s => s.Count),
            steps.Where(s => s.Outcome == Exits).Sum(s => s.Count),
            [.. steps.GroupBy(s => s.Version).Select(g => new VersionCount(g.Key, g.Sum(s => s.Count)))],
            steps);
    }

    private static StepImpact Walk(int version, string step, int count, List<(int Version, JourneyDefinition Definition, MigrationPolicy Policy)> versions, int toVersion)
    {
        if (!versions.Exists(v => v.Version == version))
            return new StepImpact(version, step, count, Exits, null, $"version {version} no longer exists");

        var at = version;
        foreach (var (v, definition, policy) in versions.Where(v => v.Version > version))
        {
            if (policy.InFlight != MigrationPolicy.Move) continue;
            if (definition.Step(step) is not null)
            {
                at = v;
                continue;
            }
            if (policy.MissingStep == MigrationPolicy.Exit)
                return new StepImpact(version, step, count, Exits, null, $"version {v} has no step '{step}' and was published with missingStep exit");
            return new StepImpact(version, step, count, Stays, at,
                v == toVersion
                    ? $"version {v} has no step '{step}'; missingStep stay keeps them on version {at}"
                    : $"version {v} has no step '{step}' and was published with missingStep stay, so they stay on version {at}");
        }

        // Walking past the new version without a return means it was published with finish.
        return at == toVersion
            ? new StepImpact(version, step, count, Moves, at, $"version {toVersion} has step '{step}'")
            : new StepImpact(version, step, count, Stays, at, $"inFlight finish: they finish on version {at}");
    }
}

/// <summary>How many instances are active on one version.</summary>
public sealed record VersionCount(int Version, int InFlight);

/// <summary>
/// The active instances at one step of one version, and what the publish would do to them.
/// </summary>
/// <param name="Outcome"><see cref="PublishImpact.Moves"/>, <see cref="PublishImpact.Stays"/> or <see cref="PublishImpact.Exits"/>.</param>
/// <param name="ToVersion">The version they would run on afterwards; null when they exit.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record StepImpact(int Version, string Step, int Count, string Outcome, int? ToVersion, string Reason);
