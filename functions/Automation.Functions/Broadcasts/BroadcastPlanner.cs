using System.Globalization;
using System.Text.Json.Nodes;
using Automation.Core.Audience;
using Automation.Core.Holidays;
using Automation.Core.Journeys.Calendar;
using Automation.Core.Journeys.Conditions;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Holidays;
using Automation.Functions.Hosting;
using Automation.Functions.Journeys;
using Automation.Functions.Storage;

namespace Automation.Functions.Broadcasts;

/// <summary>One broadcast of a scheduled journey for a store: an occurrence of a holiday (or the schedule's date), with its date per market.</summary>
/// <param name="Occasion">Its key, forever: <c>{holiday}-{year}</c>, or the date of a dated schedule.</param>
/// <param name="LocalSend">Per market, the local date and time recipients there get it.</param>
public sealed record BroadcastOccasion(string Occasion, string Holiday, string? HolidayName, IReadOnlyDictionary<string, DateOnly> Dates,
    IReadOnlyDictionary<string, DateTime> LocalSend);

/// <summary>
/// Plans the broadcasts of scheduled journeys: for each store and each published, active journey with a schedule,
/// the next occurrence of each of its holidays (in each of the store's markets, by the store's calendars) whose
/// first recipients are due within <see cref="PlanAhead"/>; then, once per occasion, every customer of the audience
/// index who may be in the audience gets an entry at the minute their market's date and the schedule's time of day
/// fall in their own time zone. Shards are scanned side by side and streamed: nothing holds the audience. The
/// journey's <c>audience</c> is checked again, on the whole profile, when each entry is sent.
/// </summary>
public sealed class BroadcastPlanner(
    BroadcastTable table,
    AudienceIndex audience,
    StoreDirectory stores,
    StoreCalendars calendars,
    JourneyStore journeys,
    TimeProvider time,
    ILogger<BroadcastPlanner> log)
{
    /// <summary>How long before the first recipient's send time a broadcast is planned.</summary>
    public static readonly TimeSpan PlanAhead = TimeSpan.FromHours(48);

    /// <summary>How late an entry may still be sent; one later than this is dropped (the occasion has passed for it).</summary>
    public static readonly TimeSpan MaxLateness = TimeSpan.FromHours(12);

    /// <summary>Shards read at the same time.</summary>
    private const int Parallelism = 8;

    private const int FlushAt = 100;

    /// <summary>Plans every broadcast that is due to be planned and is not yet; returns the plans made now.</summary>
    public async Task<IReadOnlyList<BroadcastPlan>> PlanDueAsync(CancellationToken ct, string? onlyStore = null)
    {
        var library = await journeys.LibraryAsync(ct);
        var scheduled = library.All.Where(j => !j.IsPaused && j.Current.Trigger.Schedule is not null).ToList();
        var made = new List<BroadcastPlan>();
        if (scheduled.Count == 0) return made;
        var now = time.GetUtcNow();
        foreach (var storeId in stores.Ids.Where(s => onlyStore is null || s == onlyStore))
            foreach (var journey in scheduled)
                foreach (var occasion in await OccasionsAsync(storeId, journey.Current, now, ct))
                {
                    if (!IsDue(occasion, now)) continue;
                    if (await table.GetPlanAsync(storeId, journey.Id, occasion.Occasion, ct) is { State: BroadcastTable.Planned }) continue;
                    made.Add(await PlanAsync(storeId, journey.Current, occasion, ct));
                }
        return made;
    }

    /// <summary>The next occasion of each holiday the schedule follows, for the store's markets (for a dated schedule, the date).</summary>
    public async Task<IReadOnlyList<BroadcastOccasion>> OccasionsAsync(string storeId, JourneyDefinition journey, DateTimeOffset now, CancellationToken ct)
    {
        if (journey.Trigger.Schedule is not { } schedule || !stores.TryGet(storeId, out var store)) return [];
        LocalTime.TryParseTimeOfDay(schedule.TimeOfDay ?? "10:00", out var timeOfDay);
        var markets = store.MarketCodes();
        if (LocalTime.TryParseDate(schedule.Date, out var date))
        {
            var keys = markets.Count == 0 ? [""] : markets;
            return [new BroadcastOccasion(schedule.Date!, "date", null, keys.ToDictionary(m => m, _ => date), keys.ToDictionary(m => m, _ => date.ToDateTime(timeOfDay)))];
        }
        if (markets.Count == 0) return [];
        var byMarket = (await calendars.ForStoreAsync(storeId, markets, ct)).ToDictionary(c => c.Market, c => c.Calendar);
        // A send day has passed everywhere once it is over in the westernmost zone (UTC-12).
        var today = DateOnly.FromDateTime(now.UtcDateTime.AddHours(-12));
        var found = new List<BroadcastOccasion>();
        foreach (var o in schedule.Occasions())
        {
            var offset = o.Offset is { } text ? IsoDuration.Parse(text) : TimeSpan.Zero;
            // The occasion's year comes from the first market that keeps the holiday; every market then takes its date of that year.
            int? year = null;
            string? name = null;
            foreach (var market in markets)
            {
                if (byMarket[market].Find(o.Holiday) is not { } holiday) continue;
                for (var y = today.Year - 1; y <= today.Year + 1 && year is null; y++)
                    if (HolidayEvaluator.DatesIn(byMarket[market], o.Holiday, y).Any(d => DateOnly.FromDateTime(d.ToDateTime(timeOfDay) + offset) >= today))
                        year = y;
                name = holiday.Name;
                break;
            }
            if (year is not { } occasionYear) continue;
            var dates = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
            var sends = new Dictionary<string, DateTime>(StringComparer.Ordinal);
            foreach (var market in markets)
            {
                var d = HolidayEvaluator.DatesIn(byMarket[market], o.Holiday, occasionYear).FirstOrDefault(d => DateOnly.FromDateTime(d.ToDateTime(timeOfDay) + offset) >= today);
                if (d == default) continue;
                dates[market] = d;
                sends[market] = d.ToDateTime(timeOfDay) + offset;
            }
            if (dates.Count > 0) found.Add(new BroadcastOccasion($"{o.Holiday}-{occasionYear.ToString(CultureInfo.InvariantCulture)}", o.Holiday, name, dates, sends));
        }
        return found;
    }

    /// <summary>Planned from <see cref="PlanAhead"/> before the earliest possible send (a zone at UTC+14) until the latest is past.</summary>
    private static bool IsDue(BroadcastOccasion occasion, DateTimeOffset now)
    {
        var earliest = new DateTimeOffset(occasion.LocalSend.Values.Min(), TimeSpan.Zero).AddHours(-14);
        var latest = new DateTimeOffset(occasion.LocalSend.Values.Max(), TimeSpan.Zero).AddHours(12) + MaxLateness;
        return now >= earliest - PlanAhead && now <= latest;
    }

    /// <summary>Writes the occasion's entries (again, when an earlier planning stopped half-way: the same rows) and records the plan.</summary>
    public async Task<BroadcastPlan> PlanAsync(string storeId, JourneyDefinition journey, BroadcastOccasion occasion, CancellationToken ct)
    {
        var store = stores.Settings(storeId);
        var options = stores.TryGet(storeId, out var o) ? o : new StoreOptions();
        var markets = options.MarketCodes();
        var now = time.GetUtcNow();
        var started = new BroadcastPlan(storeId, journey.Id, occasion.Occasion, occasion.Holiday, BroadcastTable.Planning, 0, 0, 0, null, null, now,
            occasion.Dates.ToDictionary(kv => kv.Key, kv => kv.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        await table.SavePlanAsync(started, ct);

        var (consent, tiers) = Narrowing(journey.Audience);
        var filter = new AudienceFilter(consent, tiers is null || tiers.Contains(Core.Profiles.LifecycleTier.Prospect) ? 0 : 1);
        long entries = 0, scanned = 0, notInMarket = 0, late = 0;
        var first = DateTimeOffset.MaxValue;
        var last = DateTimeOffset.MinValue;
        var gate = new object();
        await Parallel.ForEachAsync(AudienceIndex.ShardsOf(storeId), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (shard, token) =>
        {
            var buffers = new Dictionary<string, List<BroadcastEntry>>(StringComparer.Ordinal);
            long mine = 0, seen = 0, missing = 0, tooLate = 0;
            var (lo, hi) = (DateTimeOffset.MaxValue, DateTimeOffset.MinValue);
            await foreach (var customer in audience.ScanAsync(storeId, shard, filter, token))
            {
                seen++;
                var market = customer.Country is { } c && markets.Contains(c.ToUpperInvariant()) ? c.ToUpperInvariant() : markets.FirstOrDefault() ?? "";
                if (!occasion.LocalSend.TryGetValue(market, out var local) || !occasion.Dates.TryGetValue(market, out var holidayDate))
                {
                    missing++;
                    continue;
                }
                var due = LocalTime.At(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), LocalTime.Zone(customer.TimeZone ?? store.TimeZone));
                if (tiers is not null && !tiers.Contains(customer.TierAt(due))) continue;
                if (due < now - MaxLateness)
                {
                    tooLate++;
                    continue;
                }
                var entry = new BroadcastEntry(BroadcastTable.EntryPartition(due, storeId, journey.Id, occasion.Occasion, customer.CustomerKey), customer.CustomerKey,
                    storeId, journey.Id, occasion.Occasion, occasion.Holiday, occasion.HolidayName, holidayDate, market, due, null);
                if (!buffers.TryGetValue(entry.PartitionKey, out var buffer)) buffers[entry.PartitionKey] = buffer = [];
                buffer.Add(entry);
                mine++;
                (lo, hi) = (due < lo ? due : lo, due > hi ? due : hi);
                if (buffer.Count >= FlushAt)
                {
                    await table.WriteAsync(buffer, token);
                    buffer.Clear();
                }
            }
            foreach (var buffer in buffers.Values.Where(b => b.Count > 0)) await table.WriteAsync(buffer, token);
            lock (gate)
            {
                (entries, scanned, notInMarket, late) = (entries + mine, scanned + seen, notInMarket + missing, late + tooLate);
                (first, last) = (lo < first ? lo : first, hi > last ? hi : last);
            }
        });

        var plan = started with
        {
            State = BroadcastTable.Planned, Entries = entries, Scanned = scanned, NotInMarket = notInMarket,
            FirstDue = entries > 0 ? first : null, LastDue = entries > 0 ? last : null, PlannedAt = time.GetUtcNow(),
        };
        await table.SavePlanAsync(plan, ct);
        Log.BroadcastPlanned(log, storeId, journey.Id, occasion.Occasion, entries, scanned, notInMarket, late);
        return plan;
    }

    /// <summary>
    /// What the audience condition surely requires that the index can check: marketing consent, and a set of tiers.
    /// Only what holds for every customer the condition admits (a top-level condition or a member of a top-level
    /// <c>all</c>); anything else is left to the check on the whole profile when the entry is sent.
    /// </summary>
    public static (bool? Consent, IReadOnlySet<string>? Tiers) Narrowing(Condition? audienceCondition)
    {
        bool? consent = null;
        HashSet<string>? tiers = null;
        foreach (var c in audienceCondition?.All ?? (audienceCondition is null ? [] : [audienceCondition]))
        {
            if (c is { Field: "customer.canEmailMarketing", Op: ConditionOps.Eq, Value: JsonValue v } && v.TryGetValue<bool>(out var flag) && flag)
                consent = true;
            if (c is { Field: "customer.tier", Op: ConditionOps.In, Value: JsonArray values })
            {
                var named = values.OfType<JsonValue>().Select(x => x.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
                tiers = tiers is null ? named : [.. tiers.Intersect(named)];
            }
        }
        return (consent, tiers);
    }
}
