using System.Globalization;
using Automation.Functions.Hosting;
using Automation.Functions.Journeys;

namespace Automation.Functions.Broadcasts;

/// <summary>
/// Broadcasts of scheduled journeys: the planner (the hourly <c>timerTrigger</c> <c>PlanBroadcasts</c>), the sender
/// (the minute <c>timerTrigger</c> <c>SendBroadcasts</c>), and <c>GET /api/broadcasts/{storeId}</c> /
/// <c>POST /api/broadcasts/{storeId}/plan</c> behind the admin key. Running on its own, the app does both from its
/// local sweeper loop.
/// </summary>
public static class BroadcastServices
{
    public const string PlanFunction = "PlanBroadcasts", SendFunction = "SendBroadcasts";

    public static IServiceCollection AddBroadcasts(this IServiceCollection services)
    {
        services.AddSingleton<BroadcastTable>();
        services.AddSingleton<BroadcastPlanner>();
        services.AddSingleton<BroadcastSender>();
        return services;
    }

    public static void MapBroadcastTriggers(this WebApplication app)
    {
        app.MapPost("/" + PlanFunction, async (BroadcastPlanner planner, CancellationToken ct) =>
        {
            var plans = await planner.PlanDueAsync(ct);
            return HostAnswer.With(StatusCodes.Status200OK, $"planned {plans.Count} broadcast(s) with {plans.Sum(p => p.Entries)} entries");
        });
        app.MapPost("/" + SendFunction, async (BroadcastSender sender, CancellationToken ct) =>
        {
            var sweep = await sender.SweepAsync(ct);
            return HostAnswer.With(StatusCodes.Status200OK,
                $"{sweep.Entries} broadcast entries: {sweep.Batched} in {sweep.Requests} SendGrid request(s), {sweep.Individually} one by one, {sweep.Postponed} postponed");
        });
    }

    public static RouteGroupBuilder MapBroadcasts(this RouteGroupBuilder keyed)
    {
        keyed.MapGet("/broadcasts/{storeId}", ListAsync);
        keyed.MapPost("/broadcasts/{storeId}/plan", PlanAsync);
        return keyed;
    }

    /// <summary>The store's broadcasts: those planned (with their counts) and the next occasion of every scheduled journey.</summary>
    public static async Task<IResult> ListAsync(string storeId, StoreDirectory stores, BroadcastTable table, BroadcastPlanner planner, JourneyStore journeys,
        TimeProvider time, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        var now = time.GetUtcNow();
        var plans = await table.ListPlansAsync(storeId, ct);
        var library = await journeys.LibraryAsync(ct);
        var upcoming = new List<object>();
        foreach (var journey in library.All.Where(j => j.Current.Trigger.Schedule is not null).OrderBy(j => j.Id, StringComparer.Ordinal))
            foreach (var o in await planner.OccasionsAsync(storeId, journey.Current, now, ct))
            {
                var plan = plans.FirstOrDefault(p => p.JourneyId == journey.Id && p.Occasion == o.Occasion);
                upcoming.Add(new
                {
                    journey = journey.Id,
                    status = journey.Status,
                    occasion = o.Occasion,
                    holiday = o.Holiday,
                    name = o.HolidayName,
                    dates = o.Dates.ToDictionary(kv => kv.Key, kv => kv.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                    localSend = o.LocalSend.ToDictionary(kv => kv.Key, kv => kv.Value.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)),
                    planned = plan?.State ?? "not yet",
                });
            }
        return Results.Ok(new
        {
            store = storeId,
            upcoming,
            plans = plans.OrderByDescending(p => p.PlannedAt).Select(p => new
            {
                journey = p.JourneyId, occasion = p.Occasion, holiday = p.Holiday, state = p.State, entries = p.Entries, scanned = p.Scanned,
                notInMarket = p.NotInMarket, firstDue = p.FirstDue, lastDue = p.LastDue, plannedAt = p.PlannedAt, dates = p.Dates,
            }),
        });
    }

    /// <summary>Plans now what the hourly planner would plan for this store (nothing already planned is planned again).</summary>
    public static async Task<IResult> PlanAsync(string storeId, StoreDirectory stores, BroadcastPlanner planner, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        var plans = await planner.PlanDueAsync(ct, storeId);
        return Results.Ok(new { store = storeId, planned = plans.Select(p => new { journey = p.JourneyId, occasion = p.Occasion, entries = p.Entries, firstDue = p.FirstDue, lastDue = p.LastDue }) });
    }
}
