using System.Globalization;

namespace Automation.Core.Holidays;

/// <summary>
/// One thing wrong with a calendar document: where (<c>$.holidays[3].rule.month</c>), what, and the id of the
/// holiday it is in when that holiday has one, so that a marketer can find it without counting.
/// </summary>
public sealed record CalendarProblem(string Path, string Message, string? Holiday = null)
{
    public override string ToString() => Holiday is null ? $"{Path}: {Message}" : $"{Path} ({Holiday}): {Message}";
}

/// <summary>What <see cref="CalendarReader.Read"/> made of a market's document: the calendar, or every problem found.</summary>
public sealed record CalendarReadResult(MarketCalendar? Calendar, IReadOnlyList<CalendarProblem> Problems)
{
    public bool IsValid => Calendar is not null && Problems.Count == 0;
}

/// <summary>What <see cref="CalendarReader.ReadShipped"/> made of the shipped defaults: a calendar per market code.</summary>
public sealed record ShippedCalendarsReadResult(IReadOnlyDictionary<string, MarketCalendar> Markets, IReadOnlyList<CalendarProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>Every problem, up to a limit: a document of a million bad holidays gets a useful answer, not a huge one.</summary>
internal sealed class CalendarProblems
{
    public const int MaxListed = 200;

    private readonly List<CalendarProblem> _listed = [];
    private int _unlisted;

    public int Count => _listed.Count + _unlisted;

    /// <summary>The id of the holiday being read, named in each problem found inside it.</summary>
    public string? Holiday { get; set; }

    public void Add(string path, string message)
    {
        if (_listed.Count < MaxListed) _listed.Add(new CalendarProblem(path, message, Holiday));
        else _unlisted++;
    }

    public IReadOnlyList<CalendarProblem> ToList() => _unlisted == 0
        ? [.. _listed]
        : [.. _listed, new CalendarProblem("$", string.Create(CultureInfo.InvariantCulture, $"{_unlisted} more problems are not listed; fix these first"))];
}
