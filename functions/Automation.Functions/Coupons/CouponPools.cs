using Automation.Functions.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Coupons;

/// <summary>What a claim from a pool gave: a code, or that the pool is empty.</summary>
public sealed record PoolClaim(string? Code, bool Empty);

/// <summary>
/// Codes a store made (Shopify's bulk discount codes) and uploaded. One partition per store and pool,
/// <c>{storeId}|pool|{pool}</c>, holding three kinds of row: <c>a|{CODE}</c> available, <c>u|{CODE}</c>
/// used (with the action that got it) and <c>k|{actionKey}</c> the assignment (with the code). A claim
/// is one entity group transaction: delete the available row (If-Match its ETag), add the used row and
/// add the assignment. So each code goes to exactly one action, and a retried action finds its
/// assignment and gets the same code.
/// </summary>
public sealed class CouponPools(StorageClients clients, IOptions<CouponOptions> options)
{
    private const string Available = "a|", Used = "u|", Assigned = "k|";

    /// <summary>Claims that lost every race this many times give up for now (transient: retried later).</summary>
    private const int MaxClaimAttempts = 64;

    private readonly TableClient _table = clients.Table(StorageClients.CouponsTable);

    public static string Partition(string storeId, string pool) => $"{storeId}|pool|{pool}";

    public sealed record UploadResult(int Added, int Duplicates);

    /// <summary>Adds codes not yet in the pool (available or used, compared without case); the others are counted as duplicates.</summary>
    public async Task<UploadResult> AddAsync(string storeId, string pool, IReadOnlyList<string> codes, CancellationToken ct)
    {
        var partition = Partition(storeId, pool);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var prefix in new[] { Available, Used })
            await foreach (var row in Range(partition, prefix, ["RowKey"], ct))
                known.Add(row.RowKey[prefix.Length..]);

        var fresh = new List<string>();
        var duplicates = 0;
        foreach (var code in codes)
        {
            if (known.Add(code.ToUpperInvariant())) fresh.Add(code);
            else duplicates++;
        }
        var added = 0;
        foreach (var chunk in fresh.Chunk(100))
        {
            var rows = chunk.Select(c => new TableEntity(partition, Available + c.ToUpperInvariant()) { ["Code"] = c }).ToList();
            try
            {
                await _table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), ct);
                added += rows.Count;
            }
            catch (TableTransactionFailedException)
            {
                // A concurrent upload added some of these: add them one by one, counting the rest as duplicates.
                foreach (var row in rows)
                {
                    try { await _table.AddEntityAsync(row, ct); added++; }
                    catch (RequestFailedException ex) when (ex.Status == 409) { duplicates++; }
                }
            }
        }
        return new UploadResult(added, duplicates);
    }

    public async Task<(int Available, int Assigned)> CountAsync(string storeId, string pool, CancellationToken ct)
    {
        var partition = Partition(storeId, pool);
        var available = 0;
        var assigned = 0;
        await foreach (var _ in Range(partition, Available, ["RowKey"], ct)) available++;
        await foreach (var _ in Range(partition, Used, ["RowKey"], ct)) assigned++;
        return (available, assigned);
    }

    /// <summary>The action's code: the one it was assigned before, or a free one now; <see cref="PoolClaim.Empty"/> when none is left.</summary>
    public async Task<PoolClaim> ClaimAsync(string storeId, string pool, string actionKey, CancellationToken ct)
    {
        var partition = Partition(storeId, pool);
        var candidates = Math.Max(1, options.Value.ClaimCandidates);
        for (var attempt = 0; attempt < MaxClaimAttempts; attempt++)
        {
            if (await AssignmentAsync(partition, actionKey, ct) is { } mine) return new PoolClaim(mine, false);

            var free = new List<TableEntity>(candidates);
            await foreach (var row in Range(partition, Available, null, ct, pageSize: candidates))
            {
                free.Add(row);
                if (free.Count >= candidates) break;
            }
            if (free.Count == 0) return new PoolClaim(null, true);

            var pick = free[Random.Shared.Next(free.Count)];
            var code = pick.GetString("Code") ?? pick.RowKey[Available.Length..];
            var upper = pick.RowKey[Available.Length..];
            try
            {
                await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Delete, pick, pick.ETag),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, Used + upper) { ["Code"] = code, ["ActionKey"] = actionKey }),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, Assigned + actionKey) { ["Code"] = code }),
                ], ct);
                return new PoolClaim(code, false);
            }
            catch (TableTransactionFailedException)
            {
                // Another claim took this code (412/404 on the delete), or a retry of this action won (409
                // on the assignment, found at the top of the loop). A used row left beside a stale
                // available one (409 on the used row) is tidied so the code is not offered again.
                if (await ExistsAsync(partition, Used + upper, ct))
                    await DeleteIfPresentAsync(partition, pick.RowKey, ct);
            }
        }
        throw new RequestFailedException(503, $"coupon pool '{pool}' is busy: {MaxClaimAttempts} claims in a row lost their race");
    }

    private async Task<string?> AssignmentAsync(string partition, string actionKey, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(partition, Assigned + actionKey, ["Code"], ct);
        return row.HasValue ? row.Value?.GetString("Code") : null;
    }

    private async Task<bool> ExistsAsync(string partition, string rowKey, CancellationToken ct) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, ["RowKey"], ct)).HasValue;

    private async Task DeleteIfPresentAsync(string partition, string rowKey, CancellationToken ct)
    {
        try { await _table.DeleteEntityAsync(partition, rowKey, ETag.All, ct); }
        catch (RequestFailedException ex) when (ex.Status == 404) { }
    }

    private AsyncPageable<TableEntity> Range(string partition, string prefix, IEnumerable<string>? select, CancellationToken ct, int pageSize = 1000)
    {
        // Row prefixes end in '|', which sorts just before '}': the range [prefix, prefix with '}').
        var (from, to) = (prefix, prefix[..^1] + "}");
        return _table.QueryAsync<TableEntity>(x => x.PartitionKey == partition && x.RowKey.CompareTo(from) >= 0 && x.RowKey.CompareTo(to) < 0,
            maxPerPage: pageSize, select: select, cancellationToken: ct);
    }
}
