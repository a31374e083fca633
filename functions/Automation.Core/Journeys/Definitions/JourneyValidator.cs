using System.Globalization;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// Phase 2 of reading a definition, on the typed model: what the values mean (ids, event names,
/// durations, dates, holidays, catalog names, conditions) and how the steps connect (every goto
/// lands on a step, every step can be reached, no loop runs without waiting). Also for callers
/// that build a model in code. Returns every problem, never throws.
/// </summary>
public static class JourneyValidator
{
    private static readonly string[] ReentryModes = [Reentry.IgnoreMode, Reentry.RestartMode, Reentry.OnceMode, Reentry.AfterMode];

    public static IReadOnlyList<JourneyProblem> Validate(JourneyDefinition d, JourneyCatalog catalog)
    {
        var problems = new JourneyProblems();
        Validate(d, catalog, problems);
        return problems.ToList();
    }

    internal static void Validate(JourneyDefinition? d, JourneyCatalog catalog, JourneyProblems problems)
    {
        const string at = JourneyPath.Root;
        if (d is null)
        {
            problems.Add(at, "must be a journey, not null");
            return;
        }

        var conditions = new ConditionValidator(problems);
        Header(d, problems);
        CheckTrigger(d.Trigger, conditions, problems);
        if (d.Audience is { } audience) conditions.Check(audience, JourneyPath.Property(at, "audience"));
        CheckReentry(d.Reentry, problems);
        if (d.MaxEventAge is { } age && JourneyRules.PositiveDuration(age) is { } ageProblem) problems.Add(JourneyPath.Property(at, "maxEventAge"), ageProblem);
        Goals(d.Goals, conditions, problems);
        if (d.Priority is { } priority and (< 0 or > JourneyDefinition.MaxPriority))
            problems.Add(JourneyPath.Property(at, "priority"), string.Create(CultureInfo.InvariantCulture,
                $"is {priority}; a priority must be a whole number from 0 to {JourneyDefinition.MaxPriority} (default {JourneyDefinition.DefaultPriority}; higher goes first)"));

        var stepsAt = JourneyPath.Property(at, "steps");
        var steps = d.Steps ?? [];
        if (steps.Count == 0)
        {
            problems.Add(stepsAt, "needs at least one step");
            return;
        }

        var firstIndex = StepIds(steps, stepsAt, problems);
        var start = d.Start ?? steps[0]?.Id;
        if (d.Start is { } s && !firstIndex.ContainsKey(s))
            problems.Add(JourneyPath.Property(at, "start"), $"{JourneyRules.Quote(s)} is not a step of this journey; the steps are {JourneyRules.Some(firstIndex.Keys)}");

        var stepValidator = new StepValidator(d, catalog, conditions, problems);
        for (var i = 0; i < steps.Count; i++) stepValidator.Check(steps[i], JourneyPath.Index(stepsAt, i));

        new StepGraph(steps, firstIndex, stepsAt, problems).Check(start is not null && firstIndex.ContainsKey(start) ? start : null);
    }

    private static void Header(JourneyDefinition d, JourneyProblems problems)
    {
        const string at = JourneyPath.Root;
        if (d.SchemaVersion != 1)
        {
            problems.Add(JourneyPath.Property(at, "schemaVersion"), string.Create(CultureInfo.InvariantCulture,
                $"is {d.SchemaVersion}, but only version 1 exists; write \"schemaVersion\": 1"));
        }

        if (d.Id is null) problems.Add(JourneyPath.Property(at, "id"), "is required: the journey's id, e.g. \"welcome-series\"");
        else if (JourneyRules.Id(d.Id, "welcome-series") is { } idProblem) problems.Add(JourneyPath.Property(at, "id"), idProblem);

        if (string.IsNullOrWhiteSpace(d.Name)) problems.Add(JourneyPath.Property(at, "name"), "must not be empty: the journey's name as marketers see it");
        else if (TooLong(d.Name, JourneyRules.MaxNameLength) is { } nameProblem) problems.Add(JourneyPath.Property(at, "name"), nameProblem);

        if (d.Description is { } description && TooLong(description, JourneyRules.MaxDescriptionLength) is { } descriptionProblem)
            problems.Add(JourneyPath.Property(at, "description"), descriptionProblem);
    }

    private static string? TooLong(string text, int max) => text.Length <= max ? null
        : string.Create(CultureInfo.InvariantCulture, $"is {text.Length} characters long; keep it to {max}");

    private static void CheckTrigger(JourneyTrigger? trigger, ConditionValidator conditions, JourneyProblems problems)
    {
        var at = JourneyPath.Property(JourneyPath.Root, "trigger");
        if (trigger is null)
        {
            problems.Add(at, "is required: what starts the journey, e.g. { \"event\": \"order.placed\" }");
            return;
        }

        if (trigger.Event is null && trigger.Schedule is null)
            problems.Add(at, "needs an event (e.g. \"order.placed\") or a schedule (e.g. { \"holiday\": \"black-friday\", \"offset\": \"-P7D\" })");
        if (trigger.Event is not null && trigger.Schedule is not null)
            problems.Add(JourneyPath.Property(at, "schedule"), "cannot go with 'event'; a journey starts on an event or on a schedule, not both");

        if (trigger.Event is { } e && JourneyRules.Event(e) is { } eventProblem) problems.Add(JourneyPath.Property(at, "event"), eventProblem);
        if (trigger.Condition is { } condition)
        {
            if (trigger.Event is null && trigger.Schedule is not null)
                problems.Add(JourneyPath.Property(at, "condition"), "goes only with an event trigger; to choose who a scheduled journey reaches, use 'audience'");
            conditions.Check(condition, JourneyPath.Property(at, "condition"));
        }

        if (trigger.Schedule is { } s) Schedule(s, JourneyPath.Property(at, "schedule"), problems);
    }

    /// <summary>Most holidays one schedule follows.</summary>
    public const int MaxScheduledHolidays = 20;

    private static void Schedule(JourneySchedule s, string at, JourneyProblems problems)
    {
        if (s.Holidays is not { } list)
        {
            Moment(s.Date, s.Holiday, s.Offset, s.TimeOfDay, at, "a schedule", timeOfDayAlone: false, problems);
            return;
        }
        var listAt = JourneyPath.Property(at, "holidays");
        if (s.Date is not null || s.Holiday is not null || s.Offset is not null)
            problems.Add(listAt, "cannot go with 'date', 'holiday' or 'offset'; give one holiday with 'holiday' and 'offset', or several here, each with its offset");
        if (list.Count == 0) problems.Add(listAt, "is empty; list at least one { \"holiday\": \"black-friday\", \"offset\": \"-P7D\" }");
        if (list.Count > MaxScheduledHolidays) problems.Add(listAt, $"has {list.Count} holidays; a schedule follows at most {MaxScheduledHolidays}");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var itemAt = JourneyPath.Index(listAt, i);
            if (list[i] is not { } item)
            {
                problems.Add(itemAt, "must be { \"holiday\": …, \"offset\": … }, not null");
                continue;
            }
            if (item.Holiday is null) problems.Add(JourneyPath.Property(itemAt, "holiday"), "is required: the holiday's id, e.g. \"black-friday\"");
            else if (!seen.TryAdd(item.Holiday, i))
                problems.Add(JourneyPath.Property(itemAt, "holiday"), $"{JourneyRules.Quote(item.Holiday)} is also {JourneyPath.Index(listAt, seen[item.Holiday])}; list each holiday once");
            Moment(null, item.Holiday, item.Offset, null, itemAt, "a scheduled holiday", timeOfDayAlone: false, problems);
        }
        if (s.TimeOfDay is { } timeOfDay && JourneyRules.TimeOfDay(timeOfDay) is { } timeProblem) problems.Add(JourneyPath.Property(at, "timeOfDay"), timeProblem);
    }

    /// <summary>
    /// A moment as schedules and waitUntil steps give it: a date, or an offset from a holiday, at a
    /// local time of day; a waitUntil step may also give the time of day alone.
    /// </summary>
    internal static void Moment(string? date, string? holiday, string? offset, string? timeOfDay, string at, string what, bool timeOfDayAlone, JourneyProblems problems)
    {
        if (date is not null && holiday is not null)
            problems.Add(JourneyPath.Property(at, "holiday"), $"cannot go with 'date'; {what} gives a date or a holiday, not both");
        else if (date is null && holiday is null && !(timeOfDayAlone && timeOfDay is not null))
        {
            problems.Add(at, timeOfDayAlone
                ? $"{what} needs a timeOfDay (e.g. \"10:00\"), a date (e.g. \"2026-11-27\") or a holiday (e.g. \"black-friday\")"
                : $"{what} needs a date (e.g. \"2026-11-27\") or a holiday (e.g. \"black-friday\")");
        }

        if (offset is not null && holiday is null)
            problems.Add(JourneyPath.Property(at, "offset"), "goes only with 'holiday': it counts from the holiday (e.g. \"-P7D\" for a week before); with a date, change the date instead");

        if (date is not null && JourneyRules.Date(date) is { } dateProblem) problems.Add(JourneyPath.Property(at, "date"), dateProblem);
        if (holiday is not null && JourneyRules.Holiday(holiday) is { } holidayProblem) problems.Add(JourneyPath.Property(at, "holiday"), holidayProblem);
        if (offset is not null && JourneyRules.Offset(offset) is { } offsetProblem) problems.Add(JourneyPath.Property(at, "offset"), offsetProblem);
        if (timeOfDay is not null && JourneyRules.TimeOfDay(timeOfDay) is { } timeProblem) problems.Add(JourneyPath.Property(at, "timeOfDay"), timeProblem);
    }

    private static void CheckReentry(Reentry? reentry, JourneyProblems problems)
    {
        if (reentry is null) return;
        var at = JourneyPath.Property(JourneyPath.Root, "reentry");
        var afterAt = JourneyPath.Property(at, "after");
        if (reentry.Mode is null) problems.Add(JourneyPath.Property(at, "mode"), $"is required: one of {JourneyRules.List(ReentryModes)}");
        else if (!ReentryModes.Contains(reentry.Mode, StringComparer.Ordinal))
            problems.Add(JourneyPath.Property(at, "mode"), $"{JourneyRules.Quote(reentry.Mode)} is not a re-entry mode; the modes are {JourneyRules.List(ReentryModes)}");
        else if (reentry.Mode == Reentry.AfterMode && reentry.After is null)
            problems.Add(afterAt, "is required when mode is 'after': how long after the previous run started a new one may start, e.g. \"P30D\"");
        else if (reentry.Mode != Reentry.AfterMode && reentry.After is not null)
            problems.Add(afterAt, $"goes only with mode 'after', not '{reentry.Mode}'");

        if (reentry.After is { } after && JourneyRules.PositiveDuration(after) is { } afterProblem) problems.Add(afterAt, afterProblem);
    }

    private static void Goals(IReadOnlyList<JourneyGoal>? goals, ConditionValidator conditions, JourneyProblems problems)
    {
        var at = JourneyPath.Property(JourneyPath.Root, "goals");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < (goals?.Count ?? 0); i++)
        {
            var goalAt = JourneyPath.Index(at, i);
            if (goals![i] is not { } goal)
            {
                problems.Add(goalAt, "must be a goal, not null");
                continue;
            }

            var idAt = JourneyPath.Property(goalAt, "id");
            if (goal.Id is null) problems.Add(idAt, "is required: the goal's id, e.g. \"purchased\"");
            else if (JourneyRules.Id(goal.Id, "purchased") is { } idProblem) problems.Add(idAt, idProblem);
            else if (!seen.TryAdd(goal.Id, goalAt)) problems.Add(idAt, $"{JourneyRules.Quote(goal.Id)} is also the id of {seen[goal.Id]}; every goal needs its own id");

            var eventAt = JourneyPath.Property(goalAt, "event");
            if (goal.Event is null) problems.Add(eventAt, "is required: the event that reaches the goal, e.g. \"order.placed\"");
            else if (JourneyRules.Event(goal.Event) is { } eventProblem) problems.Add(eventAt, eventProblem);

            if (goal.Condition is { } condition) conditions.Check(condition, JourneyPath.Property(goalAt, "condition"));
        }
    }

    /// <summary>Checks step ids; returns each id's first step, which is the one gotos land on.</summary>
    private static Dictionary<string, int> StepIds(IReadOnlyList<JourneyStep> steps, string stepsAt, JourneyProblems problems)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var idAt = JourneyPath.Property(JourneyPath.Index(stepsAt, i), "id");
            if (steps[i]?.Id is not { } id) continue;
            if (JourneyRules.Id(id, "wait-3-days") is { } idProblem) problems.Add(idAt, idProblem);
            if (!first.TryAdd(id, i))
                problems.Add(idAt, $"{JourneyRules.Quote(id)} is also the id of {JourneyPath.Index(stepsAt, first[id])}; every step needs its own id");
        }

        return first;
    }
}
