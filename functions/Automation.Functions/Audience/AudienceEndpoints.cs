using Automation.Core.Audience;
using Automation.Functions.Hosting;
using Automation.Functions.Storage;

namespace Automation.Functions.Audience;

/// <summary>
/// <c>GET /api/audience/{storeId}</c>: customers and marketable customers per shard.
/// <c>GET /api/audience/{storeId}?shard=N&amp;max=M</c>: the first M entries of one shard, each with its tier now.
/// <c>POST /api/audience/{storeId}/rebuild</c> (<c>?from=</c> the previous answer's <c>next</c>, <c>max</c>
/// profiles per call): fills the index from the profiles.
/// </summary>
public static class AudienceEndpoints
{
    private const int DefaultListed = 100, DefaultRebuilt = 20_000, MaxRebuilt = 100_000;

    public sealed record ShardCount(int Shard, int Customers, int Marketable);

    public sealed record EntryView(
        string CustomerKey, bool CanEmailMarketing, string Tier, int OrderCount, decimal TotalSpent, string? Currency,
        DateTimeOffset? FirstOrderAt, DateTimeOffset? LastOrderAt, string? TimeZone, string? Locale, string? Country, IReadOnlyList<string> TopCategories);

    public static RouteGroupBuilder MapAudience(this RouteGroupBuilder keyed)
    {
        keyed.MapGet("/audience/{storeId}", GetAsync);
        keyed.MapPost("/audience/{storeId}/rebuild", RebuildAsync);
        return keyed;
    }

    public static async Task<IResult> GetAsync(string storeId, int? shard, int? max, StoreDirectory stores, AudienceIndex index, TimeProvider time, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        var shards = AudienceIndex.ShardsOf(storeId);
        if (shard is not { } one)
        {
            var counts = new ShardCount[shards.Count];
            await Parallel.ForEachAsync(shards, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (s, token) =>
            {
                var (customers, marketable) = await index.CountAsync(storeId, s, token);
                counts[s] = new ShardCount(s, customers, marketable);
            });
            return Results.Ok(new { store = storeId, customers = counts.Sum(c => c.Customers), marketable = counts.Sum(c => c.Marketable), shards = counts });
        }
        if (!shards.Contains(one)) return Problems.Invalid("shard", $"must be a shard of the store, 0 to {shards.Count - 1}");
        var limit = Math.Clamp(max ?? DefaultListed, 1, AudienceIndex.MaxPage);
        var now = time.GetUtcNow();
        var entries = new List<EntryView>();
        var more = false;
        await foreach (var e in index.ScanAsync(storeId, one, null, ct, pageSize: limit + 1))
        {
            if (entries.Count == limit) { more = true; break; }
            entries.Add(new EntryView(e.CustomerKey, e.CanEmailMarketing, e.TierAt(now), e.OrderCount, e.TotalSpent, e.Currency,
                e.FirstOrderAt, e.LastOrderAt, e.TimeZone, e.Locale, e.Country, e.TopCategories));
        }
        return Results.Ok(new { store = storeId, shard = one, entries, more });
    }

    public static async Task<IResult> RebuildAsync(string storeId, string? from, int? max, StoreDirectory stores, AudienceRebuild rebuild,
        ILogger<AudienceRebuild> log, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        RebuildResult result;
        try
        {
            result = await rebuild.RunAsync(storeId, string.IsNullOrEmpty(from) ? null : from, Math.Clamp(max ?? DefaultRebuilt, 1, MaxRebuilt), ct);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == StatusCodes.Status400BadRequest && !string.IsNullOrEmpty(from))
        {
            return Problems.Invalid("from", "Storage does not accept this position; give the 'next' value an earlier rebuild answered.");
        }
        Log.AudienceRebuilt(log, storeId, result.Profiles, result.Indexed, result.Erased, result.Next is not null);
        return Results.Ok(new { store = storeId, profiles = result.Profiles, indexed = result.Indexed, erased = result.Erased, next = result.Next });
    }
}
