using Automation.Core.Journeys.Definitions;
using Automation.Functions.Hosting;

namespace Automation.Functions.Coupons;

/// <summary>
/// <c>GET /api/coupons/{storeId}/{code}</c>: the store checks a code at checkout.
/// <c>POST /api/coupons/{storeId}/pools/{pool}</c>: upload a pool's codes (text/csv).
/// <c>GET /api/coupons/{storeId}/pools/{pool}</c>: how many are left.
/// </summary>
public static class CouponEndpoints
{
    /// <summary>Invalid lines listed in an upload's answer; the count is always complete.</summary>
    private const int MaxInvalidListed = 100;

    public sealed record CouponView(
        string Code, string Status, string Source, string? Pool, decimal? PercentOff, decimal? AmountOff, string? Currency,
        decimal? MinimumOrder, DateTimeOffset? ExpiresAt, DateTimeOffset IssuedAt, string Journey, string Step,
        string? RedeemedOrderId, decimal? RedeemedRevenue, DateTimeOffset? RedeemedAt);

    public sealed record UploadView(int Added, int Duplicates, int InvalidCount, IReadOnlyList<PoolCsv.Invalid> Invalid);

    public sealed record PoolView(string Pool, int Available, int Assigned);

    public static async Task<IResult> CheckAsync(string storeId, string code, StoreDirectory stores, CouponTable table, TimeProvider time, CancellationToken ct)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        if (await table.FindAsync(storeId, code, ct) is not { } c)
            return Problems.Status(StatusCodes.Status404NotFound, "Unknown coupon", $"Store '{storeId}' has no coupon '{code}' issued by a journey.");
        var status = c.Status == CouponRecord.Issued && c.ExpiresAt is { } expires && expires <= time.GetUtcNow() ? CouponRecord.Expired : c.Status;
        return Results.Ok(new CouponView(c.Code, status, c.Source, c.Pool, c.PercentOff, c.AmountOff, c.Currency, c.MinimumOrder,
            c.ExpiresAt, c.IssuedAt, c.JourneyId, c.StepId, c.RedeemedOrderId, c.RedeemedRevenue, c.RedeemedAt));
    }

    public static async Task<IResult> UploadAsync(string storeId, string pool, HttpRequest request, StoreDirectory stores, JourneyCatalog catalog,
        RequestBody reader, CouponPools pools, ILogger<CouponPools> log, CancellationToken ct)
    {
        if (PoolProblem(storeId, pool, stores, catalog) is { } problem) return problem;
        if (request.ContentType is { Length: > 0 } type && !IsCsv(type))
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Not a list of codes",
                $"The body is '{type}'; send the codes as text/csv (one per line, or the first column).");
        var (body, tooLarge) = await reader.ReadAsync(request, ct);
        if (tooLarge is not null) return tooLarge;
        var parsed = PoolCsv.Read(body!);
        var result = await pools.AddAsync(storeId, pool, parsed.Codes, ct);
        Log.CouponPoolUploaded(log, storeId, pool, result.Added, result.Duplicates, parsed.Invalid.Count);
        var view = new UploadView(result.Added, result.Duplicates, parsed.Invalid.Count, [.. parsed.Invalid.Take(MaxInvalidListed)]);
        return result.Added > 0 ? Results.Json(view, statusCode: StatusCodes.Status201Created) : Results.Ok(view);
    }

    public static async Task<IResult> PoolAsync(string storeId, string pool, StoreDirectory stores, JourneyCatalog catalog, CouponPools pools, CancellationToken ct)
    {
        if (PoolProblem(storeId, pool, stores, catalog) is { } problem) return problem;
        var (available, assigned) = await pools.CountAsync(storeId, pool, ct);
        return Results.Ok(new PoolView(pool, available, assigned));
    }

    private static IResult? PoolProblem(string storeId, string pool, StoreDirectory stores, JourneyCatalog catalog)
    {
        if (!stores.TryGet(storeId, out _)) return Problems.UnknownStore(storeId);
        if (!catalog.CouponPools.TryGetValue(pool, out var definition))
            return Problems.Status(StatusCodes.Status404NotFound, "Unknown coupon pool", $"There is no coupon pool '{pool}' in journeys/catalog.json.");
        if (definition.Source != CouponSources.Pool)
            return Problems.Status(StatusCodes.Status400BadRequest, "Not an upload pool",
                $"Coupon pool '{pool}' makes its own codes (source \"{definition.Source}\"); only pools declared with \"source\": \"pool\" take uploaded codes.");
        return null;
    }

    private static bool IsCsv(string contentType) =>
        contentType.Split(';')[0].Trim().ToLowerInvariant() is "text/csv" or "text/plain" or "application/csv" or "application/octet-stream";
}
