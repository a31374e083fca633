using System.Text.Json.Serialization;

namespace Automation.Functions.Holidays;

/// <summary><c>GET /api/holidays/{storeId}</c>: the window asked for, each market's calendar, the dated holidays and what the calendars cannot say.</summary>
public sealed record OccurrencesView(string StoreId, DateOnly From, DateOnly To, IReadOnlyList<MarketView> Markets,
    IReadOnlyList<OccurrenceView> Occurrences, IReadOnlyList<WarningView> Warnings);

/// <param name="Calendar"><c>edited</c> (the store's own), <c>default</c> (shipped) or <c>none</c>.</param>
/// <param name="ETag">The calendar's entity tag, as <c>GET …/markets/{market}</c> answers it: send it as <c>If-Match</c> with a change.</param>
public sealed record MarketView(string Market, string Calendar, int Holidays, [property: JsonPropertyName("etag")] string ETag, int? Version, DateTimeOffset? SavedAt);

/// <param name="Rule">The rule in words, e.g. <c>4th Thursday of November + 1 day</c>.</param>
public sealed record OccurrenceView(DateOnly Date, string Market, string Holiday, string Name, IReadOnlyDictionary<string, string>? Names,
    string Rule, string? Category, string Calendar);

public sealed record WarningView(string? Market, string? Holiday, int? Year, string Message);
