using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Journeys.Engine;

/// <summary>How journeys of one customer share the send slots the policy allows (see <c>SendPolicy</c>).</summary>
internal sealed partial class DecisionRun
{
    /// <summary>Higher priority first, then by id, so the order never depends on how the library was loaded.</summary>
    public static IEnumerable<PublishedJourney> ByPriority(IEnumerable<PublishedJourney> journeys) =>
        journeys.OrderByDescending(j => j.Current.EffectivePriority).ThenBy(j => j.Id, StringComparer.Ordinal);

    private int Priority(JourneyInstance instance) =>
        Library.Get(instance.JourneyId)?.Current.EffectivePriority ?? JourneyDefinition.DefaultPriority;

    /// <summary>The woken instance and every other one deferred at a sendEmail step and due by now, in priority order.</summary>
    private List<JourneyInstance> DueWith(JourneyInstance woken) =>
    [
        .. _instances.Values
            .Where(i => i.JourneyId != woken.JourneyId && i is { IsActive: true, Waiting: InstanceStatus.WaitTimer, Token: not null } && i.WakeAt <= At && AtSendEmail(i))
            .Prepend(woken)
            .OrderByDescending(Priority)
            .ThenBy(i => i.JourneyId, StringComparer.Ordinal),
    ];

    private bool AtSendEmail(JourneyInstance instance) =>
        Library.Get(instance.JourneyId)?.Versions.GetValueOrDefault(instance.Version)?.Step(instance.StepId)?.Type == StepTypes.SendEmail;

    /// <summary>An email that failed (or that the gate refused) was not sent: its slot is free again.</summary>
    public void ReleaseSendSlot()
    {
        if (EngineEvents.Text(Event, "action") is not { } actionId) return;
        var mailing = _profile.Mailing.Release(actionId);
        if (ReferenceEquals(mailing, _profile.Mailing)) return;
        _profile = _profile with { Mailing = mailing };
        _changed = true;
    }
}
