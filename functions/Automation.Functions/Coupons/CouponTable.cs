using Automation.Functions.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Coupons;

/// <summary>The <c>coupons</c> table: issued codes (<see cref="CouponRecord"/>) and which generated code each action got.</summary>
public sealed class CouponTable(StorageClients clients)
{
    public TableClient Table { get; } = clients.Table(StorageClients.CouponsTable);

    /// <summary>Codes are 1 to 64 of <c>[A-Za-z0-9_-]</c>; anything else is not ours and cannot be a row key.</summary>
    public static bool IsCode(string? code) =>
        code is { Length: >= 1 and <= 64 } && code.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-');

    public async Task<CouponRecord?> FindAsync(string storeId, string code, CancellationToken ct)
    {
        if (!IsCode(code)) return null;
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(CouponRecord.Partition(storeId), CouponRecord.Row(code), cancellationToken: ct);
        return row.HasValue && row.Value is { } e ? CouponRecord.FromEntity(storeId, e) : null;
    }

    /// <summary>Records an issued code once; a repeat (a retried action) leaves the row, and any redemption on it, alone.</summary>
    public async Task RecordAsync(CouponRecord record, CancellationToken ct)
    {
        try { await Table.AddEntityAsync(record.ToEntity(), ct); }
        catch (RequestFailedException ex) when (ex.Status == 409) { }
    }

    /// <summary>Marks a code redeemed unless it already is: the redeemed record, or null when the code is not ours or was redeemed before.</summary>
    public async Task<CouponRecord?> RedeemAsync(string storeId, string code, string orderId, decimal? revenue, DateTimeOffset at, CancellationToken ct)
    {
        if (!IsCode(code)) return null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(CouponRecord.Partition(storeId), CouponRecord.Row(code), cancellationToken: ct);
            if (!row.HasValue || row.Value is not { } e) return null;
            var record = CouponRecord.FromEntity(storeId, e);
            if (record.Status == CouponRecord.Redeemed) return null;
            var redeemed = record with { Status = CouponRecord.Redeemed, RedeemedOrderId = orderId, RedeemedRevenue = revenue, RedeemedAt = at };
            try
            {
                await Table.UpdateEntityAsync(redeemed.ToEntity(), e.ETag, TableUpdateMode.Replace, ct);
                return redeemed;
            }
            catch (RequestFailedException ex) when (ex.Status == 412) { } // another order got there first: read again
        }
        return null;
    }

    private const string GeneratedPrefix = "act|";

    /// <summary>The generated code an action already has, or the one given now: the first writer wins, so a changed secret cannot make a second code.</summary>
    public async Task<string> GeneratedCodeAsync(string storeId, string actionKey, string candidate, CancellationToken ct)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(CouponRecord.Partition(storeId), GeneratedPrefix + actionKey, ["Code"], ct);
        if (row.HasValue && row.Value?.GetString("Code") is { } existing) return existing;
        try
        {
            await Table.AddEntityAsync(new TableEntity(CouponRecord.Partition(storeId), GeneratedPrefix + actionKey) { ["Code"] = candidate }, ct);
            return candidate;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var winner = await Table.GetEntityAsync<TableEntity>(CouponRecord.Partition(storeId), GeneratedPrefix + actionKey, ["Code"], ct);
            return winner.Value.GetString("Code") ?? candidate;
        }
    }
}
