using Automation.Core.Events;
using Automation.Core.Profiles;
using Automation.Core.Stores;

namespace Automation.Core.Journeys.Engine;

/// <summary>Everything one event decides for its customer: the profile change, then the journeys.</summary>
/// <param name="IgnoredReason">Why the event changed nothing (erased customer, wake-up for no one), or null.</param>
public sealed record CustomerOutcome(CustomerProfile? Profile, JourneyDecision? Journeys, string? IgnoredReason);

/// <summary>
/// The whole pure decision for one event: <see cref="ProfileReducer"/> first (storefront events),
/// then <see cref="JourneyEngine"/> on the updated profile. The engine's own events (wake-ups,
/// action results) are not the customer's activity and leave the profile's facts alone.
/// </summary>
public static class CustomerDecision
{
    public static CustomerOutcome Decide(CustomerProfile? profile, JourneyStates states, CustomerEvent e, StoreSettings store, JourneyLibrary library, DateTimeOffset now)
    {
        if (EventTypes.Internal.Contains(e.Type))
        {
            if (profile is null) return new(null, null, "no such customer");
            var decision = JourneyEngine.Decide(profile, states, e, store, library, now);
            return decision.Changed ? new(decision.Profile, decision, null) : new(profile, decision, "no journey acted on it");
        }
        var change = ProfileReducer.Apply(profile, e, store, now);
        if (change.IgnoredReason is not null) return new(change.Profile, null, change.IgnoredReason);
        var journeys = JourneyEngine.Decide(change.Profile, states, e, store, library, now);
        return new(journeys.Profile, journeys, null);
    }
}
