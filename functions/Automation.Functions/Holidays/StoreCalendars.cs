using System.Security.Cryptography;
using System.Text;
using Automation.Core.Holidays;

namespace Automation.Functions.Holidays;

/// <summary>A market's calendar as a store sees it: its own edit, the shipped default, or none at all.</summary>
/// <param name="Source"><see cref="StoreCalendars.Edited"/>, <see cref="StoreCalendars.Default"/> or <see cref="StoreCalendars.None"/>.</param>
/// <param name="ETag">A strong HTTP entity tag (quotes included) of the calendar as served: its source and its document.</param>
public sealed record MarketCalendarState(string Market, string Source, MarketCalendar Calendar, string Json, string ETag, SavedCalendar? Saved);

public enum CalendarChange { Done, PreconditionFailed }

/// <summary>
/// A store's calendars per market: its edit when it has saved one, else the shipped default. Changes are
/// read-check-write under the row's ETag, so an edit made from a stale read (<c>If-Match</c>) is refused, never lost.
/// </summary>
public sealed class StoreCalendars(HolidayTable table, HolidayDefaults defaults, TimeProvider time)
{
    /// <summary>Persisted in no row but shown to callers; names never change.</summary>
    public const string Edited = "edited", Default = "default", None = "none";

    private const int Attempts = 5;

    public async Task<IReadOnlyList<MarketCalendarState>> ForStoreAsync(string storeId, IReadOnlyList<string> markets, CancellationToken ct)
    {
        var saved = markets.Count == 0 ? new Dictionary<string, SavedCalendar>() : await table.ListAsync(storeId, ct);
        return [.. markets.Select(m => State(m, saved.GetValueOrDefault(m)))];
    }

    public async Task<MarketCalendarState> GetAsync(string storeId, string market, CancellationToken ct) =>
        State(market, await table.GetAsync(storeId, market, ct));

    /// <summary>Saves the calendar as the store's for the market, when <paramref name="ifMatch"/> (if any) accepts the current ETag.</summary>
    public async Task<(CalendarChange Outcome, MarketCalendarState State)> SaveAsync(string storeId, string market, MarketCalendar calendar,
        Func<string, bool>? ifMatch, CancellationToken ct)
    {
        var json = CalendarJson.Write(calendar);
        for (var attempt = 1; ; attempt++)
        {
            var saved = await table.GetAsync(storeId, market, ct);
            var current = State(market, saved);
            if (ifMatch is not null && !ifMatch(current.ETag)) return (CalendarChange.PreconditionFailed, current);
            var version = (saved?.Version ?? 0) + 1;
            var at = time.GetUtcNow();
            if (await table.TryWriteAsync(storeId, market, json, version, at, saved?.RowETag, ct))
                return (CalendarChange.Done, State(market, new SavedCalendar(calendar, json, version, at, default)));
            // Another save got in between. With If-Match that makes the caller's read stale; without, last writer wins.
            if (ifMatch is not null || attempt == Attempts) return (CalendarChange.PreconditionFailed, await GetAsync(storeId, market, ct));
        }
    }

    /// <summary>Drops the store's edit, so the shipped default applies again; the state returned is that default.</summary>
    public async Task<(CalendarChange Outcome, MarketCalendarState State)> ResetAsync(string storeId, string market, Func<string, bool>? ifMatch, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var saved = await table.GetAsync(storeId, market, ct);
            var current = State(market, saved);
            if (ifMatch is not null && !ifMatch(current.ETag)) return (CalendarChange.PreconditionFailed, current);
            if (saved is null || await table.TryDeleteAsync(storeId, market, saved.RowETag, ct)) return (CalendarChange.Done, State(market, null));
            if (ifMatch is not null || attempt == Attempts) return (CalendarChange.PreconditionFailed, await GetAsync(storeId, market, ct));
        }
    }

    private MarketCalendarState State(string market, SavedCalendar? saved)
    {
        if (saved is not null) return new(market, Edited, saved.Calendar, saved.Json, Tag(Edited, saved.Json), saved);
        if (defaults.For(market) is { } shipped) return new(market, Default, shipped.Calendar, shipped.Json, Tag(Default, shipped.Json), null);
        var empty = CalendarJson.Write(MarketCalendar.Empty);
        return new(market, None, MarketCalendar.Empty, empty, Tag(None, empty), null);
    }

    /// <summary>The same source and document always give the same tag, whichever instance computes it.</summary>
    private static string Tag(string source, string json) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + json)).AsSpan(0, 12)) + "\"";
}
