using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// Checks the JSON types of a document's members before anything is deserialized, so that each
/// wrong type, missing member or unknown member is reported at its own path instead of as one
/// serializer exception. Never throws, whatever the node holds.
/// </summary>
internal sealed class JsonShape(JourneyProblems problems)
{
    public JourneyProblems Problems { get; } = problems;

    /// <summary>
    /// The members of an object, or null (with a problem) when the node is not an object. Unknown
    /// members are reported with <paramref name="unknown"/>'s message and left out; with no
    /// <paramref name="allowed"/> list, every member is kept.
    /// </summary>
    public Dictionary<string, JsonNode?>? Object(JsonNode? node, string path, string expected, IReadOnlyCollection<string>? allowed, Func<string, string> unknown)
    {
        if (node is not JsonObject o)
        {
            Problems.Add(path, $"must be {expected}, not {Describe(node)}");
            return null;
        }

        List<KeyValuePair<string, JsonNode?>> members;
        try
        {
            members = [.. o];
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // Only a node parsed by someone else gets here: Read(string) reports these itself.
            Problems.Add(path, "has a member name that appears twice or is not valid text");
            return null;
        }

        var known = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, value) in members)
        {
            if (allowed is null || allowed.Contains(name)) known[name] = value;
            else Problems.Add(JourneyPath.Property(path, name), unknown(name));
        }

        return known;
    }

    /// <summary>The usual message for an unknown member: what the object has, and the likely intended name.</summary>
    public static Func<string, string> UnknownIn(string what, IReadOnlyCollection<string> allowed) => name =>
    {
        var message = $"unknown field {JourneyRules.Quote(name)} in {what}; {what} has: {JourneyRules.List(allowed)}";
        return JourneyRules.Closest(name, allowed) is { } meant ? message + $" (did you mean '{meant}'?)" : message;
    };

    /// <summary>Whether a member is there; reports it at its path when it is required and absent.</summary>
    public bool Has(Dictionary<string, JsonNode?> members, string path, string name, string? requiredBecause)
    {
        if (members.ContainsKey(name)) return true;
        if (requiredBecause is not null) Problems.Add(JourneyPath.Property(path, name), requiredBecause);
        return false;
    }

    public void String(Dictionary<string, JsonNode?> members, string path, string name, string? requiredBecause = null)
    {
        if (!Has(members, path, name, requiredBecause)) return;
        var at = JourneyPath.Property(path, name);
        var node = members[name];
        if (Kind(node) != JsonValueKind.String) Problems.Add(at, $"must be a string, not {Describe(node)}");
        else if (!TryString(node!, out _)) Problems.Add(at, "is not valid text (an unpaired surrogate escape)");
    }

    public void Integer(Dictionary<string, JsonNode?> members, string path, string name, string expected, string? requiredBecause = null)
    {
        if (!Has(members, path, name, requiredBecause)) return;
        var node = members[name];
        if (!TryInteger(node, out _)) Problems.Add(JourneyPath.Property(path, name), $"must be {expected}, not {Describe(node)}");
    }

    public void Boolean(Dictionary<string, JsonNode?> members, string path, string name)
    {
        if (!Has(members, path, name, null)) return;
        var node = members[name];
        if (Kind(node) is not (JsonValueKind.True or JsonValueKind.False)) Problems.Add(JourneyPath.Property(path, name), $"must be true or false, not {Describe(node)}");
    }

    /// <summary>The items of a list member, or null (with a problem) when it is absent or not a list.</summary>
    public JsonArray? Array(Dictionary<string, JsonNode?> members, string path, string name, string expected, string? requiredBecause = null)
    {
        if (!Has(members, path, name, requiredBecause)) return null;
        if (members[name] is JsonArray items) return items;
        Problems.Add(JourneyPath.Property(path, name), $"must be {expected}, not {Describe(members[name])}");
        return null;
    }

    public void Strings(Dictionary<string, JsonNode?> members, string path, string name)
    {
        if (Array(members, path, name, "a list of strings") is not { } items) return;
        var at = JourneyPath.Property(path, name);
        for (var i = 0; i < items.Count; i++)
        {
            if (Kind(items[i]) != JsonValueKind.String || !TryString(items[i]!, out _))
                Problems.Add(JourneyPath.Index(at, i), $"must be a string, not {Describe(items[i])}");
        }
    }

    /// <summary>A member of an object node, or null; never throws on a node with repeated names.</summary>
    public static JsonNode? Peek(JsonNode? node, string name)
    {
        try
        {
            return node is JsonObject o && o.TryGetPropertyValue(name, out var value) ? value : null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    public static JsonValueKind Kind(JsonNode? node)
    {
        if (node is null) return JsonValueKind.Null;
        try
        {
            return node.GetValueKind();
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or JsonException)
        {
            return JsonValueKind.Undefined;
        }
    }

    public static bool TryString(JsonNode node, out string text)
    {
        text = "";
        try
        {
            if (node is not JsonValue v || !v.TryGetValue<string>(out var s)) return false;
            text = s;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static bool TryInteger(JsonNode? node, out int value)
    {
        value = 0;
        try
        {
            return node is JsonValue v && Kind(v) == JsonValueKind.Number && v.TryGetValue(out value);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>A value as a message names it: <c>the number 30</c>, <c>the string 'P3D'</c>, <c>a list</c>.</summary>
    public static string Describe(JsonNode? node) => Kind(node) switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String => TryString(node!, out var s) ? "the string " + JourneyRules.Quote(s) : "a string",
        JsonValueKind.Number => "the number " + Raw(node!),
        _ => "a value that is not JSON",
    };

    private static string Raw(JsonNode node)
    {
        try
        {
            var text = node.ToJsonString();
            return text.Length <= 40 ? text : text[..37] + "…";
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or JsonException or ArgumentException)
        {
            return "that cannot be written";
        }
    }
}
