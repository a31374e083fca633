using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Core.Journeys.Conditions;

namespace Automation.Core.Journeys.Definitions;

/// <summary>Checks a typed <see cref="Condition"/>: one form per node, known fields and operators, values that fit the operator.</summary>
internal sealed class ConditionValidator(JourneyProblems problems)
{
    private static readonly string[] Ops =
    [
        ConditionOps.Eq, ConditionOps.Ne, ConditionOps.Gt, ConditionOps.Gte, ConditionOps.Lt, ConditionOps.Lte,
        ConditionOps.In, ConditionOps.NotIn, ConditionOps.Exists, ConditionOps.Contains,
    ];

    private static readonly string FieldList =
        $"the fields are {JourneyRules.List(ConditionContext.KnownFields)}, and event.data.<name> for the event's own data";

    public void Check(Condition? condition, string path) => Check(condition, path, 1);

    private void Check(Condition? c, string path, int depth)
    {
        if (depth > JourneyRules.MaxConditionDepth)
        {
            problems.Add(path, JourneyRules.TooDeep);
            return;
        }

        if (c is null)
        {
            problems.Add(path, "must be a condition, not null");
            return;
        }

        var forms = new List<string>(4);
        if (c.Field is not null) forms.Add("field");
        if (c.All is not null) forms.Add("all");
        if (c.Any is not null) forms.Add("any");
        if (c.Not is not null) forms.Add("not");
        if (forms.Count == 0)
        {
            problems.Add(path, "is empty; a condition has a field (with op and value), or all, any or not");
            return;
        }

        if (forms.Count > 1)
        {
            problems.Add(JourneyPath.Property(path, forms[1]),
                $"cannot go with '{forms[0]}' in one condition; to combine conditions, put them in a list under \"all\" or \"any\"");
        }

        if (c.Field is { } field) Comparison(field, c.Op, c.Value, path);
        else
        {
            if (c.Op is not null) problems.Add(JourneyPath.Property(path, "op"), "goes only with 'field'");
            if (c.Value is not null) problems.Add(JourneyPath.Property(path, "value"), "goes only with 'field'");
        }

        List(c.All, "all", path, depth);
        List(c.Any, "any", path, depth);
        if (c.Not is { } not) Check(not, JourneyPath.Property(path, "not"), depth + 1);
    }

    private void List(IReadOnlyList<Condition>? items, string name, string path, int depth)
    {
        if (items is null) return;
        var at = JourneyPath.Property(path, name);
        if (items.Count == 0) problems.Add(at, $"is an empty list; \"{name}\" needs at least one condition");
        for (var i = 0; i < items.Count; i++) Check(items[i], JourneyPath.Index(at, i), depth + 1);
    }

    private void Comparison(string field, string? op, JsonNode? value, string path)
    {
        if (!ConditionContext.IsKnownField(field))
        {
            var meant = JourneyRules.Closest(field, ConditionContext.KnownFields) is { } m ? $" (did you mean '{m}'?)" : "";
            problems.Add(JourneyPath.Property(path, "field"), $"unknown field {JourneyRules.Quote(field)}{meant}; {FieldList}");
        }

        var opAt = JourneyPath.Property(path, "op");
        if (op is null)
        {
            problems.Add(opAt, $"is required with 'field': one of {JourneyRules.List(Ops)}");
            return;
        }

        if (!ConditionOps.All.Contains(op))
        {
            var meant = JourneyRules.Closest(op, Ops) is { } m ? $" (did you mean '{m}'?)" : "";
            problems.Add(opAt, $"{JourneyRules.Quote(op)} is not an operator{meant}; the operators are {JourneyRules.List(Ops)}");
            return;
        }

        if (Value(op, value) is { } problem) problems.Add(JourneyPath.Property(path, "value"), problem);
        if (value is JsonArray items && op is ConditionOps.In or ConditionOps.NotIn)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (!ConditionShape.IsPlain(items[i]))
                    problems.Add(JourneyPath.Index(JourneyPath.Property(path, "value"), i), $"must be {JourneyRules.ValueKinds}, not {JsonShape.Describe(items[i])}");
            }
        }
    }

    private static string? Value(string op, JsonNode? value)
    {
        var kind = JsonShape.Kind(value);
        if (op == ConditionOps.Exists)
        {
            return kind is JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False
                ? null
                : $"must be true or false with op 'exists' (true: the field has a value; false: it has none), not {JsonShape.Describe(value)}";
        }

        if (kind == JsonValueKind.Null) return $"is required with op '{op}'; to test that a field is absent, use \"op\": \"exists\", \"value\": false";
        switch (op)
        {
            case ConditionOps.In or ConditionOps.NotIn:
                if (kind != JsonValueKind.Array) return $"must be a list of values with op '{op}', e.g. [\"active\", \"vip\"]; not {JsonShape.Describe(value)}";
                return ((JsonArray)value!).Count == 0 ? $"is an empty list; op '{op}' needs at least one value" : null;
            case ConditionOps.Gt or ConditionOps.Gte or ConditionOps.Lt or ConditionOps.Lte:
                if (kind == JsonValueKind.Number) return null;
                if (kind == JsonValueKind.String && JsonShape.TryString(value!, out var text))
                {
                    return IsDate(text) ? null
                        : $"{JourneyRules.Quote(text)} is not a number or a date; with op '{op}' write a number, e.g. 3, or a date, e.g. \"2026-01-31\"";
                }

                return $"must be a number or a date with op '{op}', not {JsonShape.Describe(value)}";
            default:
                if (ConditionShape.IsPlain(value)) return null;
                var hint = kind == JsonValueKind.Array ? "; to compare with a list of values, use op 'in'" : "";
                return $"must be {JourneyRules.ValueKinds} with op '{op}', not {JsonShape.Describe(value)}{hint}";
        }
    }

    // The evaluator orders strings as times when both parse this way (ConditionEvaluator.Order).
    private static bool IsDate(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
}
