using Automation.Core.Customers;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>
/// Finds customers by email: table <c>emails</c>, partition <c>{storeId}|{email hash}</c>, one row per
/// customer key. Written before the profile transaction (an idempotent upsert, harmless if that
/// transaction then fails) and only when a profile's email changes, so it stays off the hot path.
/// A stale row is possible after an email change; readers check the profile's email.
/// </summary>
public sealed class EmailIndex(StorageClients clients)
{
    private readonly TableClient _table = clients.Table(StorageClients.EmailIndexTable);

    public static string Partition(string storeId, string normalisedEmail) => storeId + "|" + CustomerKey.EmailHash(normalisedEmail);

    public Task AddAsync(string storeId, string email, string customerKey, CancellationToken ct) =>
        EmailAddress.Normalise(email) is { } n
            ? _table.UpsertEntityAsync(new TableEntity(Partition(storeId, n), customerKey), TableUpdateMode.Replace, ct)
            : Task.CompletedTask;

    public async Task RemoveAsync(string storeId, string email, string customerKey, CancellationToken ct)
    {
        if (EmailAddress.Normalise(email) is { } n)
            await _table.DeleteEntityAsync(Partition(storeId, n), customerKey, ETag.All, ct);
    }

    public async Task<IReadOnlyList<string>> FindAsync(string storeId, string normalisedEmail, CancellationToken ct)
    {
        var pk = Partition(storeId, normalisedEmail);
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(x => x.PartitionKey == pk, select: ["RowKey"], cancellationToken: ct))
            keys.Add(row.RowKey);
        return keys;
    }

    public Task DeleteStoreAsync(string storeId, CancellationToken ct) => _table.DeleteStoreAsync(storeId, keep: null, ct);
}
