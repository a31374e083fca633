using static Automation.Core.Journeys.Definitions.StepTypes;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// Which members each step type carries and which it needs: the one table that the reader, the
/// validator, the JSON Schema's drift test and docs/journeys.md agree with.
/// </summary>
internal static class StepShapes
{
    /// <param name="Members">Every member the type may carry, <c>id</c> and <c>type</c> first.</param>
    public sealed record Shape(string Type, IReadOnlyList<string> Members, IReadOnlyList<string> Required);

    public static readonly IReadOnlyDictionary<string, Shape> ByType = new[]
    {
        Make(Wait, "duration next", "duration next"),
        Make(WaitUntil, "timeOfDay date holiday offset next", "next"),
        Make(WaitForEvent, "event condition sameOrder timeout next onTimeout", "event timeout next onTimeout"),
        Make(Branch, "branches otherwise", "branches otherwise"),
        Make(Split, "paths holdout", "paths"),
        Make(IssueCoupon, "pool validFor next onFailure", "pool next"),
        Make(SendEmail, "template coupon category delivery whenCapped next", "template next"),
        Make(Notify, "webhook next", "webhook next"),
        Make(UpdateProfile, "addTags removeTags next", "next"),
        Make(Exit, "", ""),
    }.ToDictionary(s => s.Type, StringComparer.Ordinal);

    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        ["duration"] = "how long to wait, e.g. \"P3D\"",
        ["next"] = "the id of the step that comes next",
        ["event"] = "the event to wait for, e.g. \"order.delivered\"",
        ["timeout"] = "how long to wait for it, e.g. \"P7D\"",
        ["onTimeout"] = "the id of the step to go to when the timeout passes",
        ["branches"] = "a list of {\"condition\", \"next\"} cases",
        ["otherwise"] = "the id of the step to go to when no case holds",
        ["paths"] = "a list of {\"id\", \"weight\", \"next\"} paths",
        ["pool"] = "a coupon pool from the catalog",
        ["template"] = "an email template from templates/",
        ["webhook"] = "a webhook from the catalog",
    };

    /// <summary>"a wait step", "an exit step".</summary>
    public static string A(string type) => ("aeiou".Contains(type[0], StringComparison.Ordinal) ? "an " : "a ") + type + " step";

    public static string Describe(Shape shape) => $"{A(shape.Type)} has: {JourneyRules.List(shape.Members)}";

    /// <summary>The message for a member this step type does not carry, with the likely intended one.</summary>
    public static string Unknown(Shape shape, string member)
    {
        var message = $"unknown field {JourneyRules.Quote(member)} for {A(shape.Type)}; {Describe(shape)}";
        var owners = All.Where(t => ByType[t].Members.Contains(member, StringComparer.Ordinal)).ToList();
        if (owners.Count > 0) return message + $" ('{member}' belongs to {JourneyRules.List(owners)} steps)";
        return JourneyRules.Closest(member, shape.Members) is { } meant ? message + $" (did you mean '{meant}'?)" : message;
    }

    public static string UnknownType(string type)
    {
        var message = $"unknown step type {JourneyRules.Quote(type)}; the step types are {JourneyRules.List(All)}";
        return JourneyRules.Closest(type, All) is { } meant ? message + $" (did you mean '{meant}'?)" : message;
    }

    public static string Missing(Shape shape, string member) =>
        Hints.TryGetValue(member, out var hint) ? $"{A(shape.Type)} needs '{member}': {hint}" : $"{A(shape.Type)} needs '{member}'";

    /// <summary>The member's value in the typed model, or null when it is absent.</summary>
    public static object? Value(JourneyStep s, string member) => member switch
    {
        "id" => s.Id,
        "type" => s.Type,
        "next" => s.Next,
        "duration" => s.Duration,
        "timeOfDay" => s.TimeOfDay,
        "date" => s.Date,
        "holiday" => s.Holiday,
        "offset" => s.Offset,
        "event" => s.Event,
        "condition" => s.Condition,
        "timeout" => s.Timeout,
        "onTimeout" => s.OnTimeout,
        "sameOrder" => s.SameOrder,
        "branches" => s.Branches,
        "otherwise" => s.Otherwise,
        "paths" => s.Paths,
        "holdout" => s.Holdout,
        "pool" => s.Pool,
        "validFor" => s.ValidFor,
        "onFailure" => s.OnFailure,
        "template" => s.Template,
        "coupon" => s.Coupon,
        "category" => s.Category,
        "delivery" => s.Delivery,
        "whenCapped" => s.WhenCapped,
        "webhook" => s.Webhook,
        "addTags" => s.AddTags,
        "removeTags" => s.RemoveTags,
        _ => null,
    };

    /// <summary>Every step member in the model, in the order the docs list them.</summary>
    public static readonly IReadOnlyList<string> AllMembers =
    [
        "id", "type", "next", "duration", "timeOfDay", "date", "holiday", "offset", "event", "condition", "timeout", "onTimeout",
        "sameOrder", "branches", "otherwise", "paths", "holdout", "pool", "validFor", "onFailure", "template", "coupon",
        "category", "delivery", "whenCapped", "webhook", "addTags", "removeTags",
    ];

    private static Shape Make(string type, string members, string required) => new(
        type,
        ["id", "type", .. members.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
        required.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
