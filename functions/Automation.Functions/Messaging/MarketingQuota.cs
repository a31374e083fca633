using System.Globalization;
using Automation.Functions.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Messaging;

/// <summary>
/// The store's marketing sends per calendar month (UTC), table <c>quotas</c>: partition = store id,
/// row key = <c>yyyy-MM</c>, one counter row per month changed under its ETag, so the count is exact
/// under concurrent senders. A send reserves its slot before the provider call; a send that then
/// fails keeps it (the count is of attempts, never fewer than were delivered).
/// </summary>
public sealed class MarketingQuota(StorageClients clients)
{
    private const int MaxAttempts = 20;
    private readonly TableClient _table = clients.Table(StorageClients.QuotasTable);

    public static string Month(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Marketing sends counted so far in the month of <paramref name="at"/>.</summary>
    public async Task<long> UsedAsync(string storeId, DateTimeOffset at, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(storeId, Month(at), cancellationToken: ct);
        return row.HasValue && row.Value is { } e ? e.GetInt64("Sent") ?? 0 : 0;
    }

    /// <summary>
    /// Counts <paramref name="count"/> sends in the month of <paramref name="at"/> if that stays within
    /// <paramref name="limit"/>; returns whether it did and the count before.
    /// </summary>
    public async Task<(bool Reserved, long Used)> TryReserveAsync(string storeId, DateTimeOffset at, int count, int limit, CancellationToken ct)
    {
        var month = Month(at);
        for (var attempt = 1; ; attempt++)
        {
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(storeId, month, cancellationToken: ct);
            var existing = row.HasValue ? row.Value : null;
            var used = existing?.GetInt64("Sent") ?? 0;
            if (used + count > limit) return (false, used);
            var entity = new TableEntity(storeId, month) { ["Sent"] = used + count };
            try
            {
                if (existing is null) await _table.AddEntityAsync(entity, ct);
                else await _table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, ct);
                return (true, used);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another sender counted first: count again on top of theirs.
            }
        }
    }
}
