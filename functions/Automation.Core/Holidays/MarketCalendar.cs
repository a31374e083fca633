namespace Automation.Core.Holidays;

/// <summary>
/// The holidays of one market (a country): rules, not a year's list, so the calendar is right for
/// every year it is asked about. Documents are versioned (<c>"schemaVersion": 1</c>) and read by
/// <see cref="CalendarReader"/>, which refuses anything it cannot evaluate; docs/holidays.md has the format.
/// </summary>
public sealed record MarketCalendar(IReadOnlyList<Holiday> Holidays)
{
    public const int SchemaVersion = 1;

    public static readonly MarketCalendar Empty = new([]);

    public Holiday? Find(string id) => Holidays.FirstOrDefault(h => h.Id == id);
}

/// <summary>One holiday of a market.</summary>
/// <param name="Id">Kebab-case and stable: journeys name holidays by id, and the same occasion keeps the same id in every market
/// (<c>mothers-day</c> is the second Sunday of May in the US and Mothering Sunday in GB).</param>
/// <param name="Name">In English.</param>
public sealed record Holiday(string Id, string Name, HolidayRule Rule)
{
    /// <summary>The name by locale (<c>de</c>, <c>pt-BR</c>), for people who do not read English.</summary>
    public IReadOnlyDictionary<string, string> Names { get; init; } = new Dictionary<string, string>();

    /// <summary>Free kebab-case grouping such as <c>gifting</c> or <c>shopping</c>.</summary>
    public string? Category { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>A dated holiday, as <see cref="HolidayEvaluator.Occurrences"/> lists them.</summary>
public sealed record HolidayOccurrence(DateOnly Date, Holiday Holiday);

/// <summary>A year a <see cref="ExplicitDatesRule"/> holiday has no dates for: the calendar cannot say when it is, so it says nothing.</summary>
public sealed record MissingYear(Holiday Holiday, int Year);

/// <summary>The occurrences within a window, in date order, and the years the calendar cannot answer for.</summary>
public sealed record CalendarWindow(IReadOnlyList<HolidayOccurrence> Occurrences, IReadOnlyList<MissingYear> Missing);
