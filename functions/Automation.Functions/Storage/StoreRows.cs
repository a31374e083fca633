using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>
/// Every table keys a store's partitions as <c>{storeId}|…</c>, so all of a store's rows lie in one
/// key range (<c>'|'</c> sorts just before <c>'}'</c>). Used to erase a store (Shopify's <c>shop/redact</c>).
/// </summary>
internal static class StoreRows
{
    /// <summary>The keys of every row of the store, read a page at a time.</summary>
    public static AsyncPageable<TableEntity> KeysOfStore(this TableClient table, string storeId, CancellationToken ct)
    {
        var (from, to) = (storeId + "|", storeId + "}");
        return table.QueryAsync<TableEntity>(x => x.PartitionKey.CompareTo(from) >= 0 && x.PartitionKey.CompareTo(to) < 0,
            select: ["PartitionKey", "RowKey"], cancellationToken: ct);
    }

    /// <summary>Deletes the rows in transactions of up to 100 per partition.</summary>
    public static async Task DeleteRowsAsync(this TableClient table, IEnumerable<TableEntity> rows, CancellationToken ct)
    {
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
            foreach (var chunk in partition.Chunk(100))
                await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), ct);
    }

    /// <summary>Deletes every row of the store except those in partition <paramref name="keep"/>.</summary>
    public static async Task DeleteStoreAsync(this TableClient table, string storeId, string? keep, CancellationToken ct)
    {
        var batch = new List<TableEntity>();
        await foreach (var row in table.KeysOfStore(storeId, ct))
        {
            if (row.PartitionKey == keep) continue;
            batch.Add(row);
            if (batch.Count >= 1000) { await table.DeleteRowsAsync(batch, ct); batch.Clear(); }
        }
        await table.DeleteRowsAsync(batch, ct);
    }

    /// <summary>Deletes every row of one partition (tables keyed by the bare store id).</summary>
    public static async Task DeletePartitionAsync(this TableClient table, string partitionKey, CancellationToken ct, string? filter = null)
    {
        var query = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}") + (filter is null ? "" : " and " + filter);
        var batch = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(query, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            batch.Add(row);
            if (batch.Count >= 1000) { await table.DeleteRowsAsync(batch, ct); batch.Clear(); }
        }
        await table.DeleteRowsAsync(batch, ct);
    }
}
