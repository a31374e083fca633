using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.Core.Ingestion.Api;

/// <summary>Collects every problem in a request, up to a limit.</summary>
internal sealed class ApiProblems
{
    /// <summary>
    /// A body of tiny bad events would otherwise turn into a response many times its size;
    /// no client needs more than this many at once to see what is wrong.
    /// </summary>
    public const int MaxListed = 1000;

    private readonly List<FieldError> errors = [];
    private int unlisted;

    public int Count => errors.Count + unlisted;

    public bool Any => Count > 0;

    public void Add(string field, string message)
    {
        if (errors.Count < MaxListed) errors.Add(new FieldError(field, message));
        else unlisted++;
    }

    public IReadOnlyList<FieldError> ToList() => unlisted == 0
        ? errors
        : [.. errors, new FieldError("$", string.Create(CultureInfo.InvariantCulture, $"{unlisted} more problems are not listed; fix these and send again"))];
}

/// <summary>JSON paths as the API names fields: <c>type</c>, <c>data.score</c>, <c>[2].customerId</c>.</summary>
internal static partial class ApiPath
{
    public static string Property(string parent, string name)
    {
        if (!PlainName().IsMatch(name)) return parent + "['" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";
        return parent.Length == 0 ? name : parent + "." + name;
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>The path to name when the problem is the whole value at <paramref name="path"/>.</summary>
    public static string OrRoot(string path) => path.Length == 0 ? "$" : path;

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex PlainName();
}
