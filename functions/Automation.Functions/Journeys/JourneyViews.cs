using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;

namespace Automation.Functions.Journeys;

/// <summary>One line of <c>GET /api/journeys</c>.</summary>
public sealed record JourneySummary(string Id, string Name, string Status, int Version, bool HasDraft, DateTimeOffset? UpdatedAt)
{
    public static JourneySummary Of(JourneyRecord r) => new(
        r.Id, (r.Draft ?? r.Current)?.Name ?? r.Id, r.Status, r.Version, r.Draft is not null, LastChange(r));

    /// <summary>The latest save or publish. (A pause or resume is not in <see cref="JourneyRecord"/>, so it does not count.)</summary>
    public static DateTimeOffset? LastChange(JourneyRecord r) =>
        r.Versions.Select(v => (DateTimeOffset?)v.PublishedAt).Append(r.DraftSavedAt).Max();
}

/// <summary>
/// <c>GET /api/journeys/{id}</c>: the definition that runs (the draft while nothing is published),
/// the unpublished draft when there is one, and every published version with its migration policy.
/// </summary>
public sealed record JourneyView(
    string Id, string Status, int Version, JourneyDefinition? Definition, JourneyDefinition? Draft, DateTimeOffset? DraftSavedAt,
    DateTimeOffset? UpdatedAt, IReadOnlyList<VersionView> Versions)
{
    public static JourneyView Of(JourneyRecord r) => new(
        r.Id, r.Status, r.Version, r.Current ?? r.Draft, r.Draft, r.DraftSavedAt, JourneySummary.LastChange(r),
        [.. r.Versions.Select(v => new VersionView(v.Version, v.PublishedAt, v.Migration.InFlight, v.Migration.MissingStep))]);
}

/// <param name="InFlight">The policy the version was published with for instances of older versions: <c>finish</c> or <c>move</c>.</param>
/// <param name="MissingStep">With <c>move</c>, what happens to an instance whose step this version lacks: <c>stay</c> or <c>exit</c>.</param>
public sealed record VersionView(int Version, DateTimeOffset PublishedAt, string InFlight, string MissingStep);

/// <summary><c>POST /api/journeys/{id}/pause</c> and <c>/resume</c>.</summary>
public sealed record JourneyStatusView(string Id, string Status, int Version);

/// <summary>One problem with a definition or a request, at its JSON path.</summary>
public sealed record JourneyError(string Path, string Message);

/// <summary>
/// One journey instance as the API shows it (a customer's journeys, the preview's final state):
/// where it is, what it waits for, how it ended, and its history.
/// </summary>
public sealed record InstanceView(
    string Journey, int Version, int Run, string Status, string Step, string? Waiting, DateTimeOffset? WakeAt,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? EndReason, string? Group, Conversion? Conversion,
    IReadOnlyList<CouponView> Coupons, IReadOnlyList<HistoryEntry> History)
{
    public static InstanceView Of(JourneyInstance i) => new(
        i.JourneyId, i.Version, i.Run, i.Status, i.StepId, i.IsActive ? i.Waiting : null, i.IsActive ? i.WakeAt : null,
        i.StartedAt, i.EndedAt, i.EndReason, i.Group, i.Conversion,
        [.. i.Coupons.Select(c => new CouponView(c.Key, c.Value.Code, c.Value.PercentOff, c.Value.ExpiresAt))],
        i.History);
}

/// <param name="Step">The issueCoupon step that asked for it.</param>
public sealed record CouponView(string Step, string Code, decimal PercentOff, DateTimeOffset ExpiresAt);
