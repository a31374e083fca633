using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Journeys.Publishing;

/// <summary>
/// What publishing <c>to</c> over <c>from</c> changes: the journey-level members that differ
/// (<c>trigger</c>, <c>audience</c>, <c>reentry</c>, <c>goals</c>, <c>name</c>, the effective
/// <c>start</c>, …), and steps and goals added, removed or changed, matched by id. A changed item
/// names each of its members that differs, by its JSON name. Members are compared as the
/// definition is stored (JSON), so two documents that read the same compare the same.
/// </summary>
public sealed record JourneyDiff(IReadOnlyList<string> Members, ItemChanges Steps, ItemChanges Goals)
{
    private const string StepsMember = "steps", GoalsMember = "goals", StartMember = "start";

    /// <summary>Nothing would change: publishing <c>to</c> would make a version identical to <c>from</c>.</summary>
    [JsonIgnore] public bool IsEmpty => Members.Count == 0 && Steps.IsEmpty && Goals.IsEmpty;

    /// <param name="from">The published version, or null when the journey was never published (then everything is new).</param>
    public static JourneyDiff Between(JourneyDefinition? from, JourneyDefinition to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var before = from is null ? new JsonObject() : Json(from);
        var after = Json(to);

        // Steps are compared one by one below; the order of steps only matters through the start step.
        var members = Differing(before, after, skip: [StepsMember, StartMember]);
        if (from?.StartStep != to.StartStep) members.Add(StartMember);

        return new JourneyDiff(
            members,
            Items(before[StepsMember], after[StepsMember]),
            Items(before[GoalsMember], after[GoalsMember]));
    }

    private static JsonObject Json(JourneyDefinition d) => JsonSerializer.SerializeToNode(d, EventJson.Options)!.AsObject();

    /// <summary>Names of the members that differ, in the order <paramref name="after"/> has them, then those only <paramref name="before"/> has.</summary>
    private static List<string> Differing(JsonObject before, JsonObject after, IReadOnlyCollection<string> skip)
    {
        var names = after.Select(p => p.Key).Concat(before.Select(p => p.Key)).Distinct(StringComparer.Ordinal);
        return [.. names.Where(n => !skip.Contains(n) && !JsonNode.DeepEquals(before[n], after[n]))];
    }

    private static ItemChanges Items(JsonNode? before, JsonNode? after)
    {
        var old = ById(before);
        var @new = ById(after);
        return new ItemChanges(
            [.. @new.Keys.Where(id => !old.ContainsKey(id))],
            [.. old.Keys.Where(id => !@new.ContainsKey(id))],
            [.. @new.Where(p => old.ContainsKey(p.Key))
                .Select(p => new ItemChange(p.Key, Differing(old[p.Key], p.Value, skip: [])))
                .Where(c => c.Members.Count > 0)]);
    }

    /// <summary>The objects of an array by their <c>id</c>, in document order (ids are unique in a valid definition).</summary>
    private static Dictionary<string, JsonObject> ById(JsonNode? items)
    {
        var byId = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in items?.AsArray() ?? [])
            if (item is JsonObject o && o["id"]?.GetValue<string>() is { } id) byId.TryAdd(id, o);
        return byId;
    }
}

/// <summary>Items (steps or goals) matched by id: new ones, dropped ones, and those whose members differ.</summary>
public sealed record ItemChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<ItemChange> Changed)
{
    [JsonIgnore] public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;
}

/// <summary>One step or goal present in both versions, and the JSON names of its members that differ.</summary>
public sealed record ItemChange(string Id, IReadOnlyList<string> Members);
