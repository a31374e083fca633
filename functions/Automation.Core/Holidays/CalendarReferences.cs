using Automation.Core.Journeys.Definitions;

namespace Automation.Core.Holidays;

/// <summary>
/// The checks over a whole calendar: every holiday a rule names (<c>relative</c>'s <c>holiday</c>, <c>avoid</c>)
/// is in it, none names itself, and no chain of them comes back to where it started.
/// </summary>
internal static class CalendarReferences
{
    /// <param name="holidays">The holidays read, each with its path (<c>$.holidays[3]</c>).</param>
    /// <param name="ids">Every id in the calendar, including those of holidays refused for other reasons.</param>
    public static void Check(IReadOnlyList<(Holiday Holiday, string Path)> holidays, IReadOnlySet<string> ids, CalendarProblems problems)
    {
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (holiday, path) in holidays)
        {
            problems.Holiday = holiday.Id;
            var named = new List<string>();
            foreach (var (id, at) in Named(holiday.Rule, path + ".rule"))
            {
                if (id == holiday.Id) problems.Add(at, $"names {JourneyRules.Quote(id)}, the holiday this rule belongs to; a holiday cannot follow or avoid itself");
                else if (!ids.Contains(id)) problems.Add(at, Missing(id, ids));
                else named.Add(id);
            }
            edges.TryAdd(holiday.Id, named);
        }
        problems.Holiday = null;
        ReportCycles(holidays, edges, problems);
    }

    /// <summary>The holiday ids a rule depends on, with the path of each.</summary>
    public static IEnumerable<(string Id, string Path)> Named(HolidayRule rule, string path)
    {
        if (rule is RelativeRule relative) yield return (relative.Holiday, path + ".holiday");
        if (rule.Avoid is { } avoid) yield return (avoid, path + ".avoid");
        if (rule.Instead is { } instead)
            foreach (var named in Named(instead, path + ".instead")) yield return named;
    }

    private static string Missing(string id, IReadOnlySet<string> ids)
    {
        var message = $"names {JourneyRules.Quote(id)}, which is not a holiday in this calendar";
        return JourneyRules.Closest(id, ids) is { } meant ? message + $" (did you mean '{meant}'?)" : message;
    }

    /// <summary>Each cycle once, at the first holiday on it: <c>'a' → 'b' → 'a'</c>.</summary>
    private static void ReportCycles(IReadOnlyList<(Holiday Holiday, string Path)> holidays, Dictionary<string, List<string>> edges, CalendarProblems problems)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (holiday, path) in holidays)
        {
            var stack = new List<string>();
            Visit(holiday.Id);

            void Visit(string id)
            {
                var onStack = stack.IndexOf(id);
                if (onStack >= 0)
                {
                    var cycle = stack[onStack..];
                    if (cycle.Any(reported.Contains)) return;
                    reported.UnionWith(cycle);
                    var first = holidays.First(h => cycle.Contains(h.Holiday.Id));
                    var start = cycle.IndexOf(first.Holiday.Id);
                    var chain = cycle[start..].Concat(cycle[..start]).Append(first.Holiday.Id).Select(JourneyRules.Quote);
                    problems.Holiday = first.Holiday.Id;
                    problems.Add(first.Path + ".rule", $"{string.Join(" → ", chain)} is a cycle: each of these holidays waits for the next, so none has a date");
                    problems.Holiday = null;
                    return;
                }
                if (done.Contains(id)) return;
                stack.Add(id);
                foreach (var next in edges.GetValueOrDefault(id) ?? []) Visit(next);
                stack.RemoveAt(stack.Count - 1);
                done.Add(id);
            }
        }
    }
}
