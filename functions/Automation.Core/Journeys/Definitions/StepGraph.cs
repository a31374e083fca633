using System.Globalization;

namespace Automation.Core.Journeys.Definitions;

/// <summary>
/// How the steps connect: every goto lands on a step of the journey, every step can be reached from
/// the start, no loop runs without waiting, and an email's coupon is issued before the email.
/// Iterative throughout: a journey of ten thousand steps in a line does not reach the stack's end.
/// </summary>
internal sealed class StepGraph
{
    private readonly IReadOnlyList<JourneyStep> steps;
    private readonly Dictionary<string, int> index;
    private readonly string stepsAt;
    private readonly JourneyProblems problems;

    /// <summary>For each step that is the first with its id, the steps its exits land on.</summary>
    private readonly List<int>[] edges;

    /// <param name="index">Each step id's first step: the one gotos land on (later ones are duplicates).</param>
    public StepGraph(IReadOnlyList<JourneyStep> steps, Dictionary<string, int> index, string stepsAt, JourneyProblems problems)
    {
        this.steps = steps;
        this.index = index;
        this.stepsAt = stepsAt;
        this.problems = problems;
        edges = new List<int>[steps.Count];
        for (var i = 0; i < steps.Count; i++) edges[i] = [];
    }

    /// <param name="start">The start step's id, or null when it does not name a step (already reported).</param>
    public void Check(string? start)
    {
        Targets();
        if (start is not null) Reachable(start);
        Loops();
        Coupons();
    }

    private bool IsFirst(int i) => steps[i]?.Id is { } id && index[id] == i;

    private void Targets()
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is not { } step) continue;
            foreach (var (target, member) in WithoutNullEntries(step).Exits())
            {
                if (index.TryGetValue(target, out var j))
                {
                    if (IsFirst(i)) edges[i].Add(j);
                    continue;
                }

                var meant = JourneyRules.Closest(target, index.Keys) is { } m ? $" (did you mean '{m}'?)" : "";
                problems.Add(JourneyPath.Member(JourneyPath.Index(stepsAt, i), member),
                    $"goes to {JourneyRules.Quote(target)}, which is not a step of this journey{meant}");
            }
        }
    }

    /// <summary>
    /// A model built in code may hold null cases or paths (already reported); they go nowhere, and
    /// their places are kept so that the members named stay right.
    /// </summary>
    private static JourneyStep WithoutNullEntries(JourneyStep step) => step with
    {
        Branches = step.Branches?.Select(b => b ?? new BranchCase { Condition = new(), Next = null! }).ToList(),
        Paths = step.Paths?.Select(p => p ?? new SplitPath { Id = "", Weight = 0, Next = null! }).ToList(),
    };

    private bool[] From(int first)
    {
        var seen = new bool[steps.Count];
        var queue = new Queue<int>();
        seen[first] = true;
        queue.Enqueue(first);
        while (queue.TryDequeue(out var i))
        {
            foreach (var j in edges[i])
            {
                if (seen[j]) continue;
                seen[j] = true;
                queue.Enqueue(j);
            }
        }

        return seen;
    }

    /// <summary>
    /// Reports each step that cannot be reached, except those only cut off because a step before
    /// them is: one broken goto is one problem, not one per step downstream of it.
    /// </summary>
    private void Reachable(string start)
    {
        var reached = From(index[start]);
        var cutOff = new bool[steps.Count];
        for (var i = 0; i < steps.Count; i++) cutOff[i] = !reached[i] && IsFirst(i);

        // Sources first (no cut-off step leads to them), then whatever is left: loops among cut-off steps.
        var fed = new bool[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            if (!cutOff[i]) continue;
            foreach (var j in edges[i])
                if (j != i) fed[j] = true;
        }

        var covered = new bool[steps.Count];
        foreach (var sourcesOnly in (ReadOnlySpan<bool>)[true, false])
        {
            for (var i = 0; i < steps.Count; i++)
            {
                if (!cutOff[i] || covered[i] || (sourcesOnly && fed[i])) continue;
                var after = Cover(i, cutOff, covered) - 1;
                var message = $"step {JourneyRules.Quote(steps[i].Id)} can never be reached from the start step {JourneyRules.Quote(start)}";
                if (after > 0) message += string.Create(CultureInfo.InvariantCulture, $" (nor can the {after} {(after == 1 ? "step" : "steps")} after it)");
                problems.Add(JourneyPath.Index(stepsAt, i), message);
            }
        }
    }

    /// <summary>Marks the cut-off steps reachable from <paramref name="first"/> not yet covered; returns how many.</summary>
    private int Cover(int first, bool[] cutOff, bool[] covered)
    {
        var count = 1;
        covered[first] = true;
        var queue = new Queue<int>();
        queue.Enqueue(first);
        while (queue.TryDequeue(out var i))
        {
            foreach (var j in edges[i])
            {
                if (!cutOff[j] || covered[j]) continue;
                covered[j] = true;
                count++;
                queue.Enqueue(j);
            }
        }

        return count;
    }

    /// <summary>Loops among steps that run at once (no wait): each would spin forever in one decision.</summary>
    private void Loops()
    {
        var instant = new bool[steps.Count];
        for (var i = 0; i < steps.Count; i++)
            instant[i] = IsFirst(i) && steps[i].Type is { } type && StepShapes.ByType.ContainsKey(type) && !StepTypes.Waits(type);

        foreach (var component in StrongComponents.Of(edges, instant))
        {
            var first = component.Min();
            if (component.Count == 1 && !edges[first].Contains(first)) continue;
            var loop = Cycle(first, component.ToHashSet());
            var message = loop.Count == 2
                ? $"step {JourneyRules.Quote(steps[first].Id)} goes to itself with no wait in between; it would run forever at once"
                : $"steps {string.Join(" → ", loop.Select(i => steps[i].Id))} form a loop with no wait in it; it would run forever at once";
            problems.Add(JourneyPath.Index(stepsAt, first), message);
        }
    }

    /// <summary>The shortest way from <paramref name="first"/> back to itself inside a component, both ends included.</summary>
    private List<int> Cycle(int first, HashSet<int> component)
    {
        var parent = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(first);
        while (queue.TryDequeue(out var i))
        {
            foreach (var j in edges[i])
            {
                if (j == first)
                {
                    var path = new List<int> { first };
                    for (var k = i; k != first; k = parent[k]) path.Add(k);
                    path.Add(first);
                    path.Reverse();
                    return path;
                }

                if (!component.Contains(j) || parent.ContainsKey(j)) continue;
                parent[j] = i;
                queue.Enqueue(j);
            }
        }

        return [first, first];
    }

    /// <summary>An email that carries a coupon must come after the step that issues it has succeeded.</summary>
    private void Coupons()
    {
        var reach = new Dictionary<int, bool[]>();
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is not { Type: StepTypes.SendEmail, Coupon: { } coupon }) continue;
            if (!index.TryGetValue(coupon, out var issuer) || steps[issuer] is not { Type: StepTypes.IssueCoupon, Next: { } next }) continue;
            if (!index.TryGetValue(next, out var after)) continue;
            if (!reach.TryGetValue(after, out var reached)) reach[after] = reached = From(after);
            if (reached[i]) continue;
            problems.Add(JourneyPath.Property(JourneyPath.Index(stepsAt, i), "coupon"),
                $"this email never comes after step {JourneyRules.Quote(coupon)} has issued its code, so it would have no code to show; put it on the way from that step's 'next'");
        }
    }
}
