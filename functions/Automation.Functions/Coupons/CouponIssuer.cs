using System.Text.Json.Nodes;
using Automation.Core.Customers;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Hosting;
using Automation.Functions.Storage;
using Azure;

namespace Automation.Functions.Coupons;

/// <summary>
/// Issues the code of an <c>issueCoupon</c> action, from either source, and records it. Generated
/// codes reach the store first (its signed webhook, when it has one): a code is only returned, and so
/// only reaches an email, once the store has accepted it. Pool codes are claimed from the upload.
/// </summary>
public sealed class CouponIssuer(
    CouponCodes codes,
    CouponPools pools,
    CouponTable table,
    CouponWebhook webhook,
    CustomerTable customers,
    StoreDirectory stores,
    TimeProvider time,
    ILogger<CouponIssuer> log) : ICouponIssuer
{
    public async Task<CouponResult> IssueAsync(CouponRequest request, CancellationToken ct)
    {
        var (storeId, _, key, action) = request;
        try
        {
            var result = action.CouponSource == CouponSources.Pool
                ? await FromPoolAsync(request, ct)
                : await GenerateAsync(request, ct);
            if (result.Code is { } code)
            {
                await table.RecordAsync(Record(request, code), ct);
                Log.CouponIssued(log, key, storeId, action.Pool ?? "", action.CouponSource ?? CouponSources.Generated);
            }
            // Only the reason's lead: what follows a colon may quote the store's answer, which could name the customer.
            else Log.CouponNotIssued(log, key, storeId, action.Pool ?? "", (result.Failure ?? "").Split(':')[0], result.Transient);
            return result;
        }
        catch (RequestFailedException ex) when (ex.Status is >= 500 or 0 or 408 or 429)
        {
            Log.CouponNotIssued(log, key, storeId, action.Pool ?? "", $"storage answered {ex.Status}", true);
            return CouponResult.Failed($"coupon storage is unavailable ({ex.Status}); trying again later", transient: true);
        }
    }

    private async Task<CouponResult> FromPoolAsync(CouponRequest request, CancellationToken ct)
    {
        var pool = request.Action.Pool ?? "";
        var claim = await pools.ClaimAsync(request.StoreId, pool, request.ActionKey, ct);
        return claim.Code is { } code
            ? new CouponResult(code)
            : CouponResult.Failed($"coupon pool '{pool}' has no codes left; upload more with POST /api/coupons/{request.StoreId}/pools/{pool}");
    }

    private async Task<CouponResult> GenerateAsync(CouponRequest request, CancellationToken ct)
    {
        var (storeId, customerKey, key, action) = request;
        if (codes.For(action.Prefix ?? "", key) is not { } candidate) return CouponResult.Failed(CouponCodes.NoSecret);
        var code = await table.GeneratedCodeAsync(storeId, key, candidate, ct);
        if (!stores.TryGet(storeId, out var store) || string.IsNullOrEmpty(store.CouponWebhookUrl)) return new CouponResult(code);

        var profile = (await customers.ReadStateAsync(CustomerKey.Partition(storeId, customerKey), ct)).Profile;
        var body = new JsonObject
        {
            ["type"] = "coupon.issued",
            ["id"] = key,
            ["storeId"] = storeId,
            ["code"] = code,
        };
        if (action.AmountOff is { } amount) body["amountOff"] = amount;
        else body["percentOff"] = action.PercentOff ?? 0m;
        if (action.Currency is { } currency) body["currency"] = currency;
        if (action.MinimumOrder is { } minimum) body["minimumOrder"] = minimum;
        if (action.ExpiresAt is { } expires) body["expiresAt"] = expires;
        body["customer"] = new JsonObject { ["id"] = profile?.ExternalId, ["email"] = profile?.Email };
        return await webhook.PostAsync(store, body, key, code, ct);
    }

    private CouponRecord Record(CouponRequest request, string code) => new(request.StoreId, code)
    {
        CustomerKey = request.CustomerKey,
        JourneyId = request.Action.JourneyId,
        Run = request.Action.Run,
        StepId = request.Action.StepId,
        ActionKey = request.ActionKey,
        Source = request.Action.CouponSource ?? CouponSources.Generated,
        Pool = request.Action.Pool,
        PercentOff = request.Action.PercentOff,
        AmountOff = request.Action.AmountOff,
        Currency = request.Action.Currency,
        MinimumOrder = request.Action.MinimumOrder,
        ExpiresAt = request.Action.ExpiresAt,
        IssuedAt = time.GetUtcNow(),
    };
}
