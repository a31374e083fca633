using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Core.Journeys.Definitions;

/// <summary>Phase 1 for conditions: members and their JSON types, nesting at most <see cref="JourneyRules.MaxConditionDepth"/> deep.</summary>
internal sealed class ConditionShape(JourneyProblems problems)
{
    public static readonly string[] Members = ["field", "op", "value", "all", "any", "not"];

    private readonly JsonShape json = new(problems);

    public void Check(JsonNode? node, string path) => Check(node, path, 1);

    private void Check(JsonNode? node, string path, int depth)
    {
        if (depth > JourneyRules.MaxConditionDepth)
        {
            problems.Add(path, JourneyRules.TooDeep);
            return;
        }

        var m = json.Object(node, path, "a condition { \"field\": …, \"op\": …, \"value\": … } or { \"all\": [ … ] }",
            Members, JsonShape.UnknownIn("a condition", Members));
        if (m is null) return;

        json.String(m, path, "field");
        json.String(m, path, "op");
        if (m.TryGetValue("value", out var value)) Value(value, JourneyPath.Property(path, "value"));
        foreach (var list in (ReadOnlySpan<string>)["all", "any"])
        {
            if (json.Array(m, path, list, "a list of conditions [ { … }, … ]") is not { } items) continue;
            var at = JourneyPath.Property(path, list);
            for (var i = 0; i < items.Count; i++) Check(items[i], JourneyPath.Index(at, i), depth + 1);
        }

        if (m.TryGetValue("not", out var not)) Check(not, JourneyPath.Property(path, "not"), depth + 1);
    }

    /// <summary>A value is a plain value or a list of them: conditions compare simple values.</summary>
    private void Value(JsonNode? value, string at)
    {
        switch (JsonShape.Kind(value))
        {
            case JsonValueKind.Null:
                problems.Add(at, JourneyRules.NullValue);
                break;
            case JsonValueKind.Array:
                var items = (JsonArray)value!;
                for (var i = 0; i < items.Count; i++)
                {
                    if (!IsPlain(items[i])) problems.Add(JourneyPath.Index(at, i), $"must be {JourneyRules.ValueKinds}, not {JsonShape.Describe(items[i])}");
                }

                break;
            default:
                if (!IsPlain(value)) problems.Add(at, $"must be {JourneyRules.ValueKinds}, or a list of them; not {JsonShape.Describe(value)}");
                break;
        }
    }

    public static bool IsPlain(JsonNode? node) => JsonShape.Kind(node) switch
    {
        JsonValueKind.String => JsonShape.TryString(node!, out _),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => true,
        _ => false,
    };
}
