using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Automation.Core.Holidays;
using Automation.Core.Journeys.Calendar;
using Automation.Functions.Hosting;
using Microsoft.Net.Http.Headers;

namespace Automation.Functions.Holidays;

/// <summary>
/// The holiday calendars of a store's markets (<c>X-Api-Key</c>): the dated holidays in a window, and each market's
/// calendar to read, replace (validated in full, <c>If-Match</c> honoured) or put back to the shipped default.
/// </summary>
public static class HolidayEndpoints
{
    /// <summary>Which calendar a document is: <c>edited</c> or <c>default</c> (<c>none</c> for a market nothing ships for).</summary>
    public const string SourceHeader = "Holiday-Calendar";

    /// <summary>A calendar of 200 holidays is a few tens of KiB; the cap keeps a saved one well inside a table row.</summary>
    public const int MaxCalendarBytes = 256 * 1024;

    public const int DefaultSpanDays = 365, MaxSpanDays = 3 * 365 + 1;

    public static RouteGroupBuilder MapHolidays(this RouteGroupBuilder keyed)
    {
        keyed.MapGet("/holidays/{storeId}", OccurrencesAsync);
        keyed.MapGet("/holidays/{storeId}/markets/{market}", GetAsync);
        keyed.MapPut("/holidays/{storeId}/markets/{market}", PutAsync);
        keyed.MapDelete("/holidays/{storeId}/markets/{market}", DeleteAsync);
        return keyed;
    }

    public static async Task<IResult> OccurrencesAsync(string storeId, string? from, string? to, StoreDirectory stores, StoreCalendars calendars,
        TimeProvider time, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out var store)) return Problems.UnknownStore(storeId);
        var today = LocalTime.Today(time.GetUtcNow(), LocalTime.Zone(store.TimeZone));
        var (fromDate, badFrom) = Date(from, "from");
        if (badFrom is not null) return badFrom;
        var (toDate, badTo) = Date(to, "to");
        if (badTo is not null) return badTo;
        var start = fromDate ?? today;
        // Near the end of the calendar the default window stops at its last day instead of running past it.
        var end = toDate ?? DateOnly.FromDayNumber(Math.Min(start.DayNumber + DefaultSpanDays, DateOnly.MaxValue.DayNumber));
        if (end < start)
            return Problems.Invalid("to", string.Create(CultureInfo.InvariantCulture, $"{end:yyyy-MM-dd} is before from ({start:yyyy-MM-dd}); give a window that ends after it starts."));
        if (end.DayNumber - start.DayNumber > MaxSpanDays)
            return Problems.Invalid("to", string.Create(CultureInfo.InvariantCulture,
                $"The window is {end.DayNumber - start.DayNumber} days; ask for at most 3 years ({MaxSpanDays} days) at a time."));

        var markets = store.MarketCodes();
        var states = await calendars.ForStoreAsync(storeId, markets, ct);
        var occurrences = new List<(OccurrenceView View, int Market)>();
        var warnings = new List<WarningView>();
        if (markets.Count == 0)
            warnings.Add(new(null, null, null, $"Store '{storeId}' has no markets; set Automation__Stores__{storeId}__Markets (or __Country) to the countries it sells in."));
        for (var i = 0; i < states.Count; i++)
        {
            var state = states[i];
            if (state.Source == StoreCalendars.None)
                warnings.Add(new(state.Market, null, null, $"No calendar ships for market {state.Market} and the store has not saved one; PUT /api/holidays/{storeId}/markets/{state.Market} to add its holidays."));
            var window = HolidayEvaluator.Occurrences(state.Calendar, start, end);
            var rules = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var o in window.Occurrences)
            {
                var h = o.Holiday;
                var rule = rules.TryGetValue(h.Id, out var text) ? text : rules[h.Id] = RuleText.Describe(state.Calendar, h.Rule);
                occurrences.Add((new(o.Date, state.Market, h.Id, h.Name, h.Names.Count > 0 ? h.Names : null, rule, h.Category, state.Source), i));
            }
            warnings.AddRange(window.Missing.Select(m => new WarningView(state.Market, m.Holiday.Id, m.Year, string.Create(CultureInfo.InvariantCulture,
                $"The {state.Market} calendar has no dates for {m.Holiday.Name} ({m.Holiday.Id}) in {m.Year}, so none are listed for that year; " +
                $"add that year's dates to the calendar (PUT /api/holidays/{storeId}/markets/{state.Market}) to have them."))));
        }
        return Results.Ok(new OccurrencesView(storeId, start, end,
            [.. states.Select(s => new MarketView(s.Market, s.Source, s.Calendar.Holidays.Count, s.ETag, s.Saved?.Version, s.Saved?.SavedAt))],
            [.. occurrences.OrderBy(o => o.View.Date).ThenBy(o => o.Market).ThenBy(o => o.View.Holiday, StringComparer.Ordinal).Select(o => o.View)],
            warnings));
    }

    public static async Task<IResult> GetAsync(string storeId, string market, HttpResponse response, StoreDirectory stores, StoreCalendars calendars, CancellationToken ct)
    {
        var (code, problem) = MarketOf(storeId, market, stores);
        return problem ?? Document(response, await calendars.GetAsync(storeId, code!, ct));
    }

    /// <summary>Replaces the market's calendar with the body, validated in full: every problem is named, and nothing is stored unless there are none.</summary>
    public static async Task<IResult> PutAsync(string storeId, string market, HttpRequest request, HttpResponse response, StoreDirectory stores,
        RequestBody reader, StoreCalendars calendars, ILogger<StoreCalendars> log, CancellationToken ct)
    {
        var (code, problem) = MarketOf(storeId, market, stores);
        if (problem is not null) return problem;
        var (ifMatch, badPrecondition) = IfMatch(request);
        if (badPrecondition is not null) return badPrecondition;
        var (body, tooLarge) = await reader.ReadAsync(request, MaxCalendarBytes, ct);
        if (tooLarge is not null) return tooLarge;
        if (!Utf8.IsValid(body)) return Problems.Invalid("$", "The body is not valid UTF-8.");
        var read = CalendarReader.Read(Encoding.UTF8.GetString(body!));
        if (!read.IsValid)
            return Problems.Invalid(read.Problems.Select(p => (p.Path, p.Holiday is null ? p.Message : $"{p.Message} (in holiday '{p.Holiday}')")));

        var (outcome, state) = await calendars.SaveAsync(storeId, code!, read.Calendar!, ifMatch, ct);
        if (outcome == CalendarChange.PreconditionFailed) return Stale(response, storeId, state);
        Log.HolidayCalendarSaved(log, storeId, code!, state.Calendar.Holidays.Count, state.Saved?.Version ?? 0);
        return Document(response, state);
    }

    /// <summary>Puts the market back on the shipped default (answering with it); a market the store never edited is already there.</summary>
    public static async Task<IResult> DeleteAsync(string storeId, string market, HttpRequest request, HttpResponse response, StoreDirectory stores,
        StoreCalendars calendars, ILogger<StoreCalendars> log, CancellationToken ct)
    {
        var (code, problem) = MarketOf(storeId, market, stores);
        if (problem is not null) return problem;
        var (ifMatch, badPrecondition) = IfMatch(request);
        if (badPrecondition is not null) return badPrecondition;
        var (outcome, state) = await calendars.ResetAsync(storeId, code!, ifMatch, ct);
        if (outcome == CalendarChange.PreconditionFailed) return Stale(response, storeId, state);
        Log.HolidayCalendarReset(log, storeId, code!);
        return Document(response, state);
    }

    private static (DateOnly? Date, IResult? Problem) Date(string? text, string name)
    {
        if (text is null) return (null, null);
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? (date, null)
            : (null, Problems.Invalid(name, $"'{Cut(text)}' is not a date; write yyyy-MM-dd, e.g. 2026-11-01."));
    }

    /// <summary>The store and the market in the path: a 404 for an unknown store or a market it does not sell in.</summary>
    private static (string? Market, IResult? Problem) MarketOf(string storeId, string market, StoreDirectory stores)
    {
        if (!stores.TryGet(storeId, out var store)) return (null, Problems.UnknownStore(storeId));
        var code = market.ToUpperInvariant();
        if (!CalendarReader.IsMarket(code))
            return (null, Problems.Invalid("market", $"'{Cut(market)}' is not a market code; use a 2-letter ISO 3166-1 country code such as GB."));
        var markets = store.MarketCodes();
        if (markets.Contains(code)) return (code, null);
        return (null, Problems.Status(StatusCodes.Status404NotFound, "Unknown market", markets.Count == 0
            ? $"Store '{storeId}' has no markets; set Automation__Stores__{storeId}__Markets (or __Country) to the countries it sells in."
            : $"Store '{storeId}' does not sell in {code}; its markets are {string.Join(", ", markets)} (Automation__Stores__{storeId}__Markets)."));
    }

    /// <summary>
    /// <c>If-Match</c> as a test of the current ETag: any of the listed strong tags, or <c>*</c> (there is always a current
    /// calendar, if only the default). Null when the header is absent; a weak tag never matches (RFC 9110, 13.1.1).
    /// </summary>
    private static (Func<string, bool>? Matches, IResult? Problem) IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0) return (null, null);
        if (!EntityTagHeaderValue.TryParseStrictList([.. header.OfType<string>()], out var tags) || tags.Count == 0)
            return (null, Problems.Invalid("If-Match", "Not an entity tag; send the ETag that GET answered with, quotes included, or *."));
        return (etag => tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || (!t.IsWeak && t.Tag.Equals(etag, StringComparison.Ordinal))), null);
    }

    private static IResult Document(HttpResponse response, MarketCalendarState state)
    {
        response.Headers.ETag = state.ETag;
        response.Headers[SourceHeader] = state.Source;
        return Results.Text(state.Json, "application/json", Encoding.UTF8);
    }

    private static IResult Stale(HttpResponse response, string storeId, MarketCalendarState current)
    {
        response.Headers.ETag = current.ETag;
        return Problems.Status(StatusCodes.Status412PreconditionFailed, "Calendar changed",
            $"The {current.Market} calendar of store '{storeId}' is no longer the one If-Match names (it is now {current.ETag}, {current.Source}); " +
            "read it again and redo the change on that.");
    }

    private static string Cut(string text) => text.Length <= 20 ? text : text[..17] + "…";
}
