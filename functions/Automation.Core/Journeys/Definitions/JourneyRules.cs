using System.Text.RegularExpressions;
using Automation.Core.Events;
using Automation.Core.Journeys.Calendar;

namespace Automation.Core.Journeys.Definitions;

/// <summary>The rules for single values in a definition, each returning the problem in words, or null.</summary>
internal static partial class JourneyRules
{
    public const int MaxNameLength = 200, MaxDescriptionLength = 2000;

    /// <summary>The events API refuses longer type names, so a journey could never see one.</summary>
    public const int MaxEventLength = 64;

    public const int MaxSplitWeight = 10_000;

    /// <summary>How deep all/any/not may nest: deeper is unreadable, and the cap keeps evaluation off the stack's edge.</summary>
    public const int MaxConditionDepth = 32;

    public static readonly string TooDeep = $"nests conditions more than {MaxConditionDepth} deep; simplify it";

    public const string ValueKinds = "a string, a number, true or false";

    public const string NullValue = "is null; to test that a field is absent, write \"op\": \"exists\", \"value\": false";

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,62}\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\z")]
    private static partial Regex EventPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,39}\z")]
    private static partial Regex TagPattern();

    /// <param name="example">A good id for the same thing, e.g. <c>welcome-series</c>.</param>
    public static string? Id(string id, string example) => IdPattern().IsMatch(id)
        ? null
        : $"{Quote(id)} is not a valid id; use 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit, e.g. \"{example}\"";

    public static string? Event(string name)
    {
        if (name.Length > MaxEventLength) return $"{Quote(name)} is longer than {MaxEventLength} characters, so no event can have that name";
        if (!EventPattern().IsMatch(name))
            return $"{Quote(name)} is not an event name; event names are lower-case words joined by dots, e.g. \"order.placed\" or \"loyalty.points_earned\"";
        if (EventTypes.Internal.Contains(name))
            return $"{Quote(name)} is produced by the engine itself, so it cannot start a journey or be awaited by one";
        return null;
    }

    public static string? Tag(string tag) => TagPattern().IsMatch(tag)
        ? null
        : $"{Quote(tag)} is not a valid tag; use 1 to 40 lower-case letters, digits, _ and -, starting with a letter or digit, e.g. \"vip\"";

    /// <summary>A duration that must be longer than zero (waits, timeouts, validity).</summary>
    public static string? PositiveDuration(string text)
    {
        if (!IsoDuration.TryParse(text, out var value, out var problem)) return problem;
        return value > TimeSpan.Zero ? null : $"{Quote(text)} must be longer than zero";
    }

    /// <summary>A signed duration (an offset from a holiday may be negative or zero).</summary>
    public static string? Offset(string text) =>
        IsoDuration.TryParse(text, out _, out var problem) ? null : problem;

    public static string? TimeOfDay(string text) => LocalTime.TryParseTimeOfDay(text, out _)
        ? null
        : $"{Quote(text)} is not a time of day; write 24-hour HH:mm, e.g. \"10:00\" or \"18:30\"";

    public static string? Date(string text) => LocalTime.TryParseDate(text, out _)
        ? null
        : $"{Quote(text)} is not a date; write yyyy-MM-dd, e.g. \"2026-11-27\"";

    public static string? Holiday(string name) => Calendar.Holidays.IsKnown(name) || Core.Holidays.ShippedHolidays.Ids.Contains(name)
        ? null
        : $"{Quote(name)} is not a holiday we know; the holidays are {List(Calendar.Holidays.Names.Concat(Core.Holidays.ShippedHolidays.Ids.Except(Calendar.Holidays.Names).Order(StringComparer.Ordinal)))}";

    /// <summary>A value from the document, quoted and cut short: a message never repeats a megabyte back.</summary>
    public static string Quote(string value) => value.Length <= 80 ? $"'{value}'" : $"'{value[..77]}…'";

    public static string List(IEnumerable<string> names) => string.Join(", ", names);

    /// <summary>Up to <paramref name="max"/> names, sorted, with "…" when there are more.</summary>
    public static string Some(IEnumerable<string> names, int max = 20)
    {
        var sorted = names.Order(StringComparer.Ordinal).ToList();
        return sorted.Count <= max ? List(sorted) : List(sorted.Take(max)) + ", …";
    }

    /// <summary>The known name closest to a misspelt one, when it is close enough to be the one meant.</summary>
    public static string? Closest(string name, IEnumerable<string> known)
    {
        if (name.Length > 64) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var k in known)
        {
            var d = Distance(name.ToUpperInvariant(), k.ToUpperInvariant());
            if (d < bestDistance) (best, bestDistance) = (k, d);
        }

        return bestDistance <= Math.Max(1, Math.Min(3, name.Length / 3)) ? best : null;
    }

    /// <summary>Edits from one name to the other, a swap of two neighbours counting as one ("wiat" is one from "wait").</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }

        return d[a.Length, b.Length];
    }
}
