using System.Reflection;

namespace Automation.Core.Holidays;

/// <summary>
/// The holiday ids of the shipped calendars (<c>journeys/calendars/holidays.json</c>, embedded in this
/// assembly at build time), so a journey's schedule may name any holiday some shipped market keeps
/// (<c>singles-day</c>, <c>diwali</c>) and a misspelt one is refused when the journey is saved.
/// </summary>
public static class ShippedHolidays
{
    private static readonly Lazy<IReadOnlySet<string>> IdSet = new(Load);

    public static IReadOnlySet<string> Ids => IdSet.Value;

    private static IReadOnlySet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("holidays.json")
            ?? throw new InvalidOperationException("The shipped calendars are not embedded in Automation.Core (holidays.json).");
        using var reader = new StreamReader(stream);
        var read = CalendarReader.ReadShipped(reader.ReadToEnd());
        return read.Markets.Values.SelectMany(m => m.Holidays.Select(h => h.Id)).ToHashSet(StringComparer.Ordinal);
    }
}
