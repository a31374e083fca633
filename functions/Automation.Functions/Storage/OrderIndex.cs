using Automation.Core.Ingestion;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>
/// Which customer an order belongs to: table <c>orders</c>, partition <c>{storeId}|{orderId}</c>.
/// Shopify's refund and fulfillment-event webhooks name only the order, so the consumer looks the
/// customer up here. Written before the transaction that first records a Shopify order (an
/// idempotent upsert), so it costs one write per order, not per event.
/// </summary>
public sealed class OrderIndex(StorageClients clients)
{
    private readonly TableClient _table = clients.Table(StorageClients.OrderIndexTable);

    // Order ids are the platform's; ones that cannot stand in a key (/, #, very long) are digested.
    private static string Partition(string storeId, string orderId) => storeId + "|" + EventIds.Safe(orderId);

    public Task AddAsync(string storeId, string orderId, string customerKey, CancellationToken ct) =>
        _table.UpsertEntityAsync(new TableEntity(Partition(storeId, orderId), "") { ["CustomerKey"] = customerKey }, TableUpdateMode.Replace, ct);

    public async Task<string?> FindAsync(string storeId, string orderId, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition(storeId, orderId), "", ["CustomerKey"], ct);
        return row.HasValue ? row.Value?.GetString("CustomerKey") : null;
    }

    public async Task RemoveAsync(string storeId, IEnumerable<string> orderIds, CancellationToken ct)
    {
        foreach (var id in orderIds)
            await _table.DeleteEntityAsync(Partition(storeId, id), "", ETag.All, ct);
    }

    public Task DeleteStoreAsync(string storeId, CancellationToken ct) => _table.DeleteStoreAsync(storeId, keep: null, ct);
}
