using Automation.Core.Ingestion;
using Automation.Functions.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Webhooks.SendGrid;

/// <summary>
/// Which provider events were applied, table <c>providerevents</c>: partition
/// <c>{provider}|{store}|{yyyyMMdd of the event's own time}</c>, row = the provider's event id. The event's
/// own time travels with every redelivery, so a duplicate hours later lands on the same row; and one
/// delivery's events mostly share a partition, so up to 100 markers go in one transaction (one billed
/// operation). Old days can be dropped as whole partitions once past the provider's retry window.
/// </summary>
public sealed class ProviderEventLog(StorageClients clients)
{
    private readonly TableClient _table = clients.Table(StorageClients.ProviderEventsTable);

    public sealed record Key(string Partition, string Row);

    public static Key For(string provider, string storeId, string day, string eventId) =>
        new($"{provider}|{EventIds.Safe(storeId)}|{day}", EventIds.Safe(eventId));

    /// <summary>
    /// Inserts the markers that do not exist yet and adds them to <paramref name="added"/>: the events seen for the
    /// first time. Filled as it goes, so after a failure the caller knows which to remove.
    /// </summary>
    public async Task AddNewAsync(IEnumerable<(Key Key, string Type)> markers, DateTimeOffset now, ISet<Key> added, CancellationToken ct)
    {
        foreach (var partition in markers.DistinctBy(m => m.Key).GroupBy(m => m.Key.Partition))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                var pending = chunk.ToList();
                while (pending.Count > 0)
                {
                    var actions = pending.Select(m => new TableTransactionAction(TableTransactionActionType.Add,
                        new TableEntity(m.Key.Partition, m.Key.Row) { ["Type"] = m.Type, ["AppliedAt"] = now })).ToList();
                    try
                    {
                        await _table.SubmitTransactionAsync(actions, ct);
                        added.UnionWith(pending.Select(m => m.Key));
                        break;
                    }
                    catch (TableTransactionFailedException ex) when (ex.Status == 409 && ex.FailedTransactionActionIndex is { } i && i < pending.Count)
                    {
                        // That one was seen before: drop it and commit the rest. One retry per duplicate, and duplicates are rare.
                        pending.RemoveAt(i);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Drops the store's markers of days before <paramref name="beforeDay"/> (<c>yyyyMMdd</c>), a page at a time so a
    /// busy store's days never sit in memory whole. Past the provider's retry window a marker can stop no duplicate.
    /// </summary>
    public async Task<int> ForgetBeforeAsync(string provider, string storeId, string beforeDay, CancellationToken ct)
    {
        var from = $"{provider}|{EventIds.Safe(storeId)}|";
        var to = from + beforeDay;
        var forgotten = 0;
        var pages = _table.QueryAsync<TableEntity>(x => x.PartitionKey.CompareTo(from) >= 0 && x.PartitionKey.CompareTo(to) < 0,
            maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken: ct).AsPages();
        await foreach (var page in pages)
        {
            await _table.DeleteRowsAsync(page.Values, ct);
            forgotten += page.Values.Count;
        }
        return forgotten;
    }

    /// <summary>Forgets markers whose effects could not be applied, so the provider's redelivery applies them.</summary>
    public async Task RemoveAsync(IEnumerable<Key> keys, CancellationToken ct)
    {
        foreach (var partition in keys.GroupBy(k => k.Partition))
            foreach (var chunk in partition.Chunk(100))
                await _table.SubmitTransactionAsync(chunk.Select(k =>
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(k.Partition, k.Row), ETag.All)), ct);
    }
}
