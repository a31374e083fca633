using System.Text.Json.Serialization;
using Automation.Core.Journeys.Conditions;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// One version of a journey as marketers write it (<c>journeys/*.json</c>, <c>PUT /api/journeys/{id}</c>).
/// Persisted and published as immutable versions, so every JSON name here is forever; the
/// document carries <see cref="SchemaVersion"/> from its first day. Documented in docs/journeys.md,
/// described for editors by journeys/journey.schema.json, checked by <see cref="JourneyValidator"/>.
/// </summary>
public sealed record JourneyDefinition
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 1;
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("trigger")] public required JourneyTrigger Trigger { get; init; }

    /// <summary>Who may enter, checked when the trigger fires.</summary>
    [JsonPropertyName("audience")] public Condition? Audience { get; init; }

    [JsonPropertyName("reentry")] public Reentry Reentry { get; init; } = Reentry.Ignore;

    /// <summary>
    /// A trigger event that occurred longer ago than this (ISO 8601) updates the profile but starts
    /// nothing, so an import of last year's orders does not send last year's follow-ups.
    /// </summary>
    [JsonPropertyName("maxEventAge")] public string? MaxEventAge { get; init; }

    /// <summary>Exit events: the first one that matches ends the instance as a conversion.</summary>
    [JsonPropertyName("goals")] public IReadOnlyList<JourneyGoal> Goals { get; init; } = [];

    /// <summary>The first step; the first of <see cref="Steps"/> when absent.</summary>
    [JsonPropertyName("start")] public string? Start { get; init; }

    [JsonPropertyName("steps")] public required IReadOnlyList<JourneyStep> Steps { get; init; }

    /// <summary>
    /// 0 to 100 (default 50): when two journeys compete for the same send slot of a customer (one
    /// event starts both, or deferred emails fall due together), the higher goes first.
    /// </summary>
    [JsonPropertyName("priority")] public int? Priority { get; init; }

    public const int DefaultPriority = 50, MaxPriority = 100;

    [JsonIgnore] public int EffectivePriority => Priority ?? DefaultPriority;

    [JsonIgnore] public string StartStep => Start ?? Steps[0].Id;

    public JourneyStep? Step(string id)
    {
        foreach (var s in Steps)
            if (string.Equals(s.Id, id, StringComparison.Ordinal)) return s;
        return null;
    }
}

/// <summary>
/// What starts an instance: an event (with an optional condition on it and the profile), or a
/// schedule (the holiday pushes: a date or a holiday offset, fanned out to the audience).
/// Exactly one of <see cref="Event"/> and <see cref="Schedule"/> is set.
/// </summary>
public sealed record JourneyTrigger
{
    [JsonPropertyName("event")] public string? Event { get; init; }
    [JsonPropertyName("condition")] public Condition? Condition { get; init; }
    [JsonPropertyName("schedule")] public JourneySchedule? Schedule { get; init; }
}

/// <summary>
/// When a scheduled journey starts for its audience: on <see cref="Date"/>, at <see cref="Offset"/>
/// from each occurrence of <see cref="Holiday"/>, or at each of <see cref="Holidays"/> with its own
/// offset; entry then happens for each recipient at <see cref="TimeOfDay"/> in the recipient's own
/// time zone, on the date their market's calendar gives.
/// </summary>
public sealed record JourneySchedule
{
    [JsonPropertyName("date")] public string? Date { get; init; }
    [JsonPropertyName("holiday")] public string? Holiday { get; init; }
    [JsonPropertyName("offset")] public string? Offset { get; init; }

    /// <summary>Several holidays, each with its own offset: one broadcast per occurrence of each.</summary>
    [JsonPropertyName("holidays")] public IReadOnlyList<ScheduledHoliday>? Holidays { get; init; }

    [JsonPropertyName("timeOfDay")] public string? TimeOfDay { get; init; }

    /// <summary>The holidays this schedule follows, each with its offset (none for a dated schedule).</summary>
    public IEnumerable<ScheduledHoliday> Occasions() =>
        Holiday is { } h ? [new ScheduledHoliday { Holiday = h, Offset = Offset }] : Holidays?.Where(o => o is not null) ?? [];
}

/// <summary>One holiday of a schedule: <see cref="Offset"/> (ISO 8601, e.g. <c>-P7D</c>) from its date in each market.</summary>
public sealed record ScheduledHoliday
{
    [JsonPropertyName("holiday")] public required string Holiday { get; init; }
    [JsonPropertyName("offset")] public string? Offset { get; init; }
}

/// <summary>
/// What a trigger does for a customer who has been in the journey before.
/// <c>ignore</c> (default): no new run while one is active; <c>restart</c>: the active run ends
/// and a new one starts; <c>once</c>: never a second run; <c>after</c>: like ignore, and no new
/// run until <see cref="After"/> has passed since the previous one started.
/// </summary>
public sealed record Reentry
{
    public const string IgnoreMode = "ignore", RestartMode = "restart", OnceMode = "once", AfterMode = "after";
    public static readonly Reentry Ignore = new() { Mode = IgnoreMode };

    [JsonPropertyName("mode")] public required string Mode { get; init; }
    [JsonPropertyName("after")] public string? After { get; init; }
}

/// <summary>An exit event: ends the instance as converted, with the revenue of its order.</summary>
public sealed record JourneyGoal
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("event")] public required string Event { get; init; }
    [JsonPropertyName("condition")] public Condition? Condition { get; init; }
}
