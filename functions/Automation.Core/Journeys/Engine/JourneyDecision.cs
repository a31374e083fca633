using Automation.Core.Profiles;

namespace Automation.Core.Journeys.Engine;

/// <summary>
/// What the engine decided for one event: the new profile (tags) and journey states, the side
/// effects for the outbox, the timers to arm, and the outbox actions whose results this event
/// reported (their rows are deleted in the same transaction).
/// </summary>
/// <param name="Changed">False when the event moved no journey (a stale wake-up): nothing needs writing for journeys.</param>
public sealed record JourneyDecision(
    CustomerProfile Profile,
    JourneyStates States,
    IReadOnlyList<JourneyAction> Actions,
    IReadOnlyList<JourneyTimer> Timers,
    IReadOnlyList<string> CompletedActions,
    bool Changed)
{
    /// <summary>Runs that ended (or were updated after ending) in this decision: kept as history rows, since a restart replaces them in the states.</summary>
    public IReadOnlyList<JourneyInstance> Ended { get; init; } = [];
}
