using System.Text.Json.Nodes;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// Phase 1 of reading a definition: the JSON types of every member, the members each object needs,
/// and no unknown ones. What the values mean is <see cref="JourneyValidator"/>'s part.
/// </summary>
internal sealed class JourneyShape(JourneyProblems problems)
{
    private static readonly string[] JourneyMembers =
        ["$schema", "schemaVersion", "id", "name", "description", "trigger", "audience", "reentry", "maxEventAge", "priority", "goals", "start", "steps"];

    private static readonly string[] TriggerMembers = ["event", "condition", "schedule"];
    private static readonly string[] ScheduleMembers = ["date", "holiday", "offset", "holidays", "timeOfDay"];
    private static readonly string[] ScheduledHolidayMembers = ["holiday", "offset"];
    private static readonly string[] ReentryMembers = ["mode", "after"];
    private static readonly string[] GoalMembers = ["id", "event", "condition"];
    private static readonly string[] BranchMembers = ["condition", "next"];
    private static readonly string[] PathMembers = ["id", "weight", "next"];
    private static readonly string[] HoldoutMembers = ["weight", "next"];

    private static readonly string PriorityText = $"a whole number from 0 to {JourneyDefinition.MaxPriority} (default {JourneyDefinition.DefaultPriority}; higher goes first)";

    private static readonly string WeightText = $"a whole number from 1 to {JourneyRules.MaxSplitWeight}";

    private readonly JsonShape json = new(problems);
    private readonly ConditionShape conditions = new(problems);

    public void Document(JsonNode? root)
    {
        const string at = JourneyPath.Root;
        var m = json.Object(root, at, "a journey object: { \"schemaVersion\": 1, \"id\": …, \"name\": …, \"trigger\": …, \"steps\": [ … ] }",
            JourneyMembers, JsonShape.UnknownIn("a journey", JourneyMembers));
        if (m is null) return;

        json.String(m, at, "$schema");
        json.Integer(m, at, "schemaVersion", "1, the only version there is", "is required: write \"schemaVersion\": 1");
        json.String(m, at, "id", "is required: the journey's id, e.g. \"welcome-series\"");
        json.String(m, at, "name", "is required: the journey's name as marketers see it");
        json.String(m, at, "description");
        Trigger(m, at);
        if (m.TryGetValue("audience", out var audience)) conditions.Check(audience, JourneyPath.Property(at, "audience"));
        Reentry(m, at);
        json.String(m, at, "maxEventAge");
        Goals(m, at);
        json.String(m, at, "start");
        Steps(m, at);
        json.Integer(m, at, "priority", PriorityText);
    }

    private void Trigger(Dictionary<string, JsonNode?> parent, string path)
    {
        if (!json.Has(parent, path, "trigger", "is required: what starts the journey, e.g. { \"event\": \"order.placed\" }")) return;
        var at = JourneyPath.Property(path, "trigger");
        var m = json.Object(parent["trigger"], at, "an object { \"event\": … } or { \"schedule\": … }", TriggerMembers, JsonShape.UnknownIn("a trigger", TriggerMembers));
        if (m is null) return;

        json.String(m, at, "event");
        if (m.TryGetValue("condition", out var condition)) conditions.Check(condition, JourneyPath.Property(at, "condition"));
        if (!json.Has(m, at, "schedule", null)) return;
        var scheduleAt = JourneyPath.Property(at, "schedule");
        var s = json.Object(m["schedule"], scheduleAt, "an object { \"date\": … } or { \"holiday\": …, \"offset\": … }",
            ScheduleMembers, JsonShape.UnknownIn("a schedule", ScheduleMembers));
        if (s is null) return;
        foreach (var name in ScheduleMembers.Where(n => n != "holidays")) json.String(s, scheduleAt, name);
        if (json.Array(s, scheduleAt, "holidays", "a list [ { \"holiday\": \"black-friday\", \"offset\": \"-P7D\" } ]") is not { } list) return;
        var listAt = JourneyPath.Property(scheduleAt, "holidays");
        for (var i = 0; i < list.Count; i++)
        {
            var itemAt = JourneyPath.Index(listAt, i);
            var item = json.Object(list[i], itemAt, "an object { \"holiday\": …, \"offset\": … }", ScheduledHolidayMembers,
                JsonShape.UnknownIn("a scheduled holiday", ScheduledHolidayMembers));
            if (item is null) continue;
            json.String(item, itemAt, "holiday", "is required: the holiday's id, e.g. \"black-friday\"");
            json.String(item, itemAt, "offset");
        }
    }

    private void Reentry(Dictionary<string, JsonNode?> parent, string path)
    {
        if (!json.Has(parent, path, "reentry", null)) return;
        var at = JourneyPath.Property(path, "reentry");
        var m = json.Object(parent["reentry"], at, "an object { \"mode\": … }", ReentryMembers, JsonShape.UnknownIn("reentry", ReentryMembers));
        if (m is null) return;
        json.String(m, at, "mode", "is required: ignore, restart, once or after");
        json.String(m, at, "after");
    }

    private void Goals(Dictionary<string, JsonNode?> parent, string path)
    {
        if (json.Array(parent, path, "goals", "a list of goals [ { \"id\": …, \"event\": … } ]") is not { } goals) return;
        var at = JourneyPath.Property(path, "goals");
        for (var i = 0; i < goals.Count; i++)
        {
            var goalAt = JourneyPath.Index(at, i);
            var m = json.Object(goals[i], goalAt, "a goal { \"id\": …, \"event\": … }", GoalMembers, JsonShape.UnknownIn("a goal", GoalMembers));
            if (m is null) continue;
            json.String(m, goalAt, "id", "is required: the goal's id, e.g. \"purchased\"");
            json.String(m, goalAt, "event", "is required: the event that reaches the goal, e.g. \"order.placed\"");
            if (m.TryGetValue("condition", out var condition)) conditions.Check(condition, JourneyPath.Property(goalAt, "condition"));
        }
    }

    private void Steps(Dictionary<string, JsonNode?> parent, string path)
    {
        var steps = json.Array(parent, path, "steps", "a list of steps [ { \"id\": …, \"type\": … } ]", "is required: the journey's steps, the first one first");
        if (steps is null) return;
        var at = JourneyPath.Property(path, "steps");
        for (var i = 0; i < steps.Count; i++) Step(steps[i], JourneyPath.Index(at, i));
    }

    private void Step(JsonNode? node, string at)
    {
        // The type decides which members are allowed, so it is read before the others.
        var type = JsonShape.Peek(node, "type") is { } t && JsonShape.TryString(t, out var text) ? text : null;
        var shape = type is not null && StepShapes.ByType.TryGetValue(type, out var s) ? s : null;
        // Without a known type there is nothing to hold the other members against.
        var m = json.Object(node, at, "a step { \"id\": …, \"type\": … }", shape?.Members, name => StepShapes.Unknown(shape!, name));
        if (m is null) return;

        json.String(m, at, "id", "is required: the step's id, e.g. \"wait-3-days\"");
        json.String(m, at, "type", $"is required: one of {JourneyRules.List(StepTypes.All)}");
        if (shape is null)
        {
            if (type is not null) problems.Add(JourneyPath.Property(at, "type"), StepShapes.UnknownType(type));
            return;
        }

        foreach (var member in shape.Required)
            json.Has(m, at, member, StepShapes.Missing(shape, member));

        foreach (var member in shape.Members.Skip(2))
        {
            if (!m.ContainsKey(member)) continue;
            switch (member)
            {
                case "condition": conditions.Check(m[member], JourneyPath.Property(at, member)); break;
                case "sameOrder": json.Boolean(m, at, member); break;
                case "addTags" or "removeTags": json.Strings(m, at, member); break;
                case "branches": Branches(m, at); break;
                case "paths": Paths(m, at); break;
                case "holdout": Holdout(m, at); break;
                default: json.String(m, at, member); break;
            }
        }
    }

    private void Branches(Dictionary<string, JsonNode?> step, string stepAt)
    {
        if (json.Array(step, stepAt, "branches", "a list of cases [ { \"condition\": …, \"next\": … } ]") is not { } cases) return;
        var at = JourneyPath.Property(stepAt, "branches");
        for (var i = 0; i < cases.Count; i++)
        {
            var caseAt = JourneyPath.Index(at, i);
            var m = json.Object(cases[i], caseAt, "a case { \"condition\": …, \"next\": … }", BranchMembers, JsonShape.UnknownIn("a branch case", BranchMembers));
            if (m is null) continue;
            if (json.Has(m, caseAt, "condition", "is required: when this case holds")) conditions.Check(m["condition"], JourneyPath.Property(caseAt, "condition"));
            json.String(m, caseAt, "next", "is required: the id of the step to go to when the condition holds");
        }
    }

    private void Paths(Dictionary<string, JsonNode?> step, string stepAt)
    {
        if (json.Array(step, stepAt, "paths", "a list of paths [ { \"id\": …, \"weight\": …, \"next\": … } ]") is not { } paths) return;
        var at = JourneyPath.Property(stepAt, "paths");
        for (var i = 0; i < paths.Count; i++)
        {
            var pathAt = JourneyPath.Index(at, i);
            var m = json.Object(paths[i], pathAt, "a path { \"id\": …, \"weight\": …, \"next\": … }", PathMembers, JsonShape.UnknownIn("a split path", PathMembers));
            if (m is null) continue;
            json.String(m, pathAt, "id", "is required: the group's name in conversions, e.g. \"a\"");
            json.Integer(m, pathAt, "weight", WeightText, $"is required: {WeightText}, relative to the other paths");
            json.String(m, pathAt, "next", "is required: the id of the step this path goes to");
        }
    }

    private void Holdout(Dictionary<string, JsonNode?> step, string stepAt)
    {
        var at = JourneyPath.Property(stepAt, "holdout");
        var m = json.Object(step["holdout"], at, "an object { \"weight\": … }", HoldoutMembers, JsonShape.UnknownIn("a holdout", HoldoutMembers));
        if (m is null) return;
        json.Integer(m, at, "weight", WeightText, $"is required: {WeightText}, relative to the paths");
        json.String(m, at, "next");
    }
}
