using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Automation.Core.Journeys.Conditions;

/// <summary>
/// A structured condition over the customer's profile and the current event: never a string that
/// gets evaluated. Persisted in journey definitions, so the JSON shape is forever:
/// <c>{"field": "customer.tier", "op": "in", "value": ["active", "vip"]}</c>,
/// <c>{"all": [ … ]}</c>, <c>{"any": [ … ]}</c>, <c>{"not": { … }}</c>.
/// Exactly one of <see cref="Field"/>, <see cref="All"/>, <see cref="Any"/>, <see cref="Not"/> is set.
/// </summary>
public sealed record Condition
{
    [JsonPropertyName("field")] public string? Field { get; init; }
    [JsonPropertyName("op")] public string? Op { get; init; }
    [JsonPropertyName("value")] public JsonNode? Value { get; init; }
    [JsonPropertyName("all")] public IReadOnlyList<Condition>? All { get; init; }
    [JsonPropertyName("any")] public IReadOnlyList<Condition>? Any { get; init; }
    [JsonPropertyName("not")] public Condition? Not { get; init; }
}

/// <summary>The comparison operators a condition may use.</summary>
public static class ConditionOps
{
    public const string Eq = "eq", Ne = "ne", Gt = "gt", Gte = "gte", Lt = "lt", Lte = "lte";
    public const string In = "in", NotIn = "notIn", Exists = "exists", Contains = "contains";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Eq, Ne, Gt, Gte, Lt, Lte, In, NotIn, Exists, Contains,
    };
}
