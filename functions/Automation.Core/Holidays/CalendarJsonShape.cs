using System.Text.Json;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Holidays;

/// <summary>Reading a calendar document's members and values, each problem reported at its path; never throws.</summary>
internal sealed class CalendarJsonShape(CalendarProblems problems)
{
    public CalendarProblems Problems { get; } = problems;

    /// <summary>
    /// The members of an object, or null (with a problem) when the value is not one. A member given twice, one
    /// whose name is not valid text and one not in <paramref name="allowed"/> are reported and left out.
    /// </summary>
    public Dictionary<string, JsonElement>? Object(JsonElement value, string path, string expected, string what, IReadOnlyCollection<string>? allowed)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Problems.Add(path, $"must be {expected}, not {Describe(value)}");
            return null;
        }
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (!JsonSyntax.TryGetName(property, out var name)) Problems.Add(path, "has a member name that is not valid text (an unpaired surrogate escape)");
            else if (members.ContainsKey(name)) Problems.Add(Member(path, name), "appears more than once; give each member once");
            else if (allowed is not null && !allowed.Contains(name)) Problems.Add(Member(path, name), Unknown(name, what, allowed));
            else members[name] = property.Value;
        }
        return members;
    }

    public string? String(Dictionary<string, JsonElement> members, string path, string name, string? requiredBecause = null)
    {
        if (!Has(members, path, name, requiredBecause)) return null;
        var value = members[name];
        if (value.ValueKind != JsonValueKind.String)
        {
            Problems.Add(Member(path, name), $"must be a string, not {Describe(value)}");
            return null;
        }
        if (JsonSyntax.TryGetString(value) is { } text) return text;
        Problems.Add(Member(path, name), "is not valid text (an unpaired surrogate escape)");
        return null;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>]; null (with a problem) otherwise.</summary>
    public int? Integer(Dictionary<string, JsonElement> members, string path, string name, int min, int max, string expected, string? requiredBecause = null)
    {
        if (!Has(members, path, name, requiredBecause)) return null;
        var value = members[name];
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max) return number;
        Problems.Add(Member(path, name), $"must be {expected}, not {Describe(value)}");
        return null;
    }

    public bool? Boolean(Dictionary<string, JsonElement> members, string path, string name)
    {
        if (!Has(members, path, name, null)) return null;
        var value = members[name];
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Problems.Add(Member(path, name), $"must be true or false, not {Describe(value)}");
        return null;
    }

    public JsonElement? Array(Dictionary<string, JsonElement> members, string path, string name, string expected, string? requiredBecause = null)
    {
        if (!Has(members, path, name, requiredBecause)) return null;
        var value = members[name];
        if (value.ValueKind == JsonValueKind.Array) return value;
        Problems.Add(Member(path, name), $"must be {expected}, not {Describe(value)}");
        return null;
    }

    public bool Has(Dictionary<string, JsonElement> members, string path, string name, string? requiredBecause)
    {
        if (members.ContainsKey(name)) return true;
        if (requiredBecause is not null) Problems.Add(Member(path, name), requiredBecause);
        return false;
    }

    public static string Member(string path, string name) => JourneyPath.Property(path, name);

    public static string Item(string path, int index) => JourneyPath.Index(path, index);

    public static string Unknown(string name, string what, IReadOnlyCollection<string> allowed)
    {
        var message = $"unknown field {JourneyRules.Quote(name)} in {what}; {what} has: {JourneyRules.List(allowed)}";
        return JourneyRules.Closest(name, allowed) is { } meant ? message + $" (did you mean '{meant}'?)" : message;
    }

    /// <summary>A value as a message names it: <c>the number 13</c>, <c>the string 'thu'</c>, <c>a list</c>.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.String => JsonSyntax.TryGetString(value) is { } s ? "the string " + JourneyRules.Quote(s) : "a string that is not valid text",
        JsonValueKind.Number => "the number " + (value.GetRawText() is { Length: <= 40 } raw ? raw : value.GetRawText()[..37] + "…"),
        _ => "nothing",
    };
}
