using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.Core.Journeys.Definitions;

/// <summary>JSON paths as problems name them: <c>$</c>, <c>$.steps[3].timeout</c>, <c>$['odd name']</c>.</summary>
internal static partial class JourneyPath
{
    public const string Root = "$";

    public static string Property(string parent, string name) =>
        PlainName().IsMatch(name)
            ? parent + "." + name
            : parent + "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";

    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>A member path as <see cref="JourneyStep.Exits"/> gives it (<c>branches[0].next</c>), under a step.</summary>
    public static string Member(string parent, string member) => parent + "." + member;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex PlainName();
}

/// <summary>Collects every problem, up to a limit: a document of a million bad steps gets a useful answer, not a huge one.</summary>
internal sealed class JourneyProblems
{
    public const int MaxListed = 1000;

    private readonly List<JourneyProblem> listed = [];
    private int unlisted;

    public int Count => listed.Count + unlisted;

    public void Add(string path, string message)
    {
        if (listed.Count < MaxListed) listed.Add(new JourneyProblem(path, message));
        else unlisted++;
    }

    public IReadOnlyList<JourneyProblem> ToList() => unlisted == 0
        ? listed.ToArray()
        : [.. listed, new JourneyProblem(JourneyPath.Root, string.Create(CultureInfo.InvariantCulture, $"{unlisted} more problems are not listed; fix these first"))];
}
