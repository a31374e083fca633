using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Core.Journeys.Conditions;

/// <summary>
/// Evaluates a <see cref="Condition"/>. Pure and total: an absent field, or a value of another
/// type than the comparison needs, makes the comparison false (and <c>ne</c>/<c>notIn</c> true),
/// never an exception, so a journey never stops on a customer whose data is incomplete.
/// </summary>
public static class ConditionEvaluator
{
    public static bool Evaluate(Condition? condition, ConditionContext context) => condition switch
    {
        null => true,
        { All: { } all } => all.All(c => Evaluate(c, context)),
        { Any: { } any } => any.Any(c => Evaluate(c, context)),
        { Not: { } not } => !Evaluate(not, context),
        { Field: { } field, Op: { } op } => Compare(context.Read(field), op, condition.Value),
        _ => false,
    };

    private static bool Compare(JsonNode? actual, string op, JsonNode? expected) => op switch
    {
        ConditionOps.Exists => (actual is not null) == (expected?.GetValueKind() != JsonValueKind.False),
        ConditionOps.Eq => Equal(actual, expected),
        ConditionOps.Ne => !Equal(actual, expected),
        ConditionOps.In => expected is JsonArray options && options.Any(o => Equal(actual, o)),
        ConditionOps.NotIn => expected is not JsonArray options || !options.Any(o => Equal(actual, o)),
        ConditionOps.Contains => actual is JsonArray items ? items.Any(i => Equal(i, expected))
            : Text(actual) is { } s && Text(expected) is { } part && s.Contains(part, StringComparison.OrdinalIgnoreCase),
        ConditionOps.Gt => Order(actual, expected) is > 0,
        ConditionOps.Gte => Order(actual, expected) is >= 0,
        ConditionOps.Lt => Order(actual, expected) is < 0,
        ConditionOps.Lte => Order(actual, expected) is <= 0,
        _ => false,
    };

    private static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (Number(a) is { } x && Number(b) is { } y) return x == y;
        if (Text(a) is { } s && Text(b) is { } t) return string.Equals(s, t, StringComparison.OrdinalIgnoreCase);
        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>Numbers compare as numbers, ISO 8601 times as times; anything else does not order.</summary>
    private static int? Order(JsonNode? a, JsonNode? b)
    {
        if (Number(a) is { } x && Number(b) is { } y) return x.CompareTo(y);
        if (Text(a) is { } s && Text(b) is { } t
            && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var ta)
            && DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var tb))
            return ta.CompareTo(tb);
        return null;
    }

    // Values built from CLR numbers (profile fields) and parsed from JSON (definitions) must compare
    // alike, so both are read through their JSON text; never through double, which loses digits.
    private static decimal? Number(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

    private static string? Text(JsonNode? n) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
