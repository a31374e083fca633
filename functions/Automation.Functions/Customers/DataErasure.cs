using Automation.Core.Customers;
using Automation.Functions.Storage;
using Azure.Data.Tables;

namespace Automation.Functions.Customers;

/// <summary>
/// Erasure beyond the customer's own partition (Shopify's <c>customers/redact</c> and <c>shop/redact</c>):
/// the email side's tables and the audience index. Every step is idempotent, so a retried erasure repeats
/// it harmlessly.
/// </summary>
public sealed class DataErasure(StorageClients clients, AudienceIndex audience, Broadcasts.BroadcastTable broadcasts, Webhooks.SendGrid.ProviderEventLog providerEvents)
{
    /// <summary>
    /// A customer: their captured emails go; their suppression row keeps its reason under the address's hash
    /// (so an unsubscribed or bounced address is still never mailed) but loses the address itself.
    /// Coupon records keep only the customer key, which the erased profile no longer resolves.
    /// </summary>
    public async Task EraseCustomerAsync(string storeId, string customerKey, string? email, CancellationToken ct)
    {
        await audience.DeleteAsync(storeId, customerKey, ct);
        await clients.Table(StorageClients.CapturedEmailsTable)
            .DeletePartitionAsync(storeId, ct, TableClient.CreateQueryFilter($"Customer eq {customerKey}"));
        if (EmailAddress.Normalise(email) is not { } normalised) return;
        var suppressions = clients.Table(StorageClients.SuppressionsTable);
        var key = CustomerKey.EmailHash(normalised);
        var row = await suppressions.GetEntityIfExistsAsync<TableEntity>(storeId, key, cancellationToken: ct);
        if (!row.HasValue || row.Value is not { } entity) return;
        if (string.IsNullOrEmpty(entity.GetString("Reason")))
        {
            await suppressions.DeleteEntityAsync(storeId, key, Azure.ETag.All, ct);
            return;
        }
        entity["Email"] = "";
        await suppressions.UpdateEntityAsync(entity, Azure.ETag.All, TableUpdateMode.Replace, ct);
    }

    /// <summary>A whole store: its audience index, broadcast plans and pending entries, coupons, report counters, suppression list, quota counters, captured emails, edited holiday calendars and SendGrid event markers.</summary>
    public async Task EraseStoreAsync(string storeId, CancellationToken ct)
    {
        await audience.DeleteStoreAsync(storeId, ct);
        await broadcasts.DeleteStoreAsync(storeId, ct);
        await clients.Table(StorageClients.CouponsTable).DeleteStoreAsync(storeId, null, ct);
        await clients.Table(StorageClients.StatsTable).DeleteStoreAsync(storeId, null, ct);
        foreach (var table in new[] { StorageClients.SuppressionsTable, StorageClients.QuotasTable, StorageClients.CapturedEmailsTable, StorageClients.HolidaysTable })
            await clients.Table(table).DeletePartitionAsync(storeId, ct);
        // SendGrid's de-duplication markers, every day of them (partitions sendgrid|{store}|{day}), a page at a time.
        await providerEvents.ForgetBeforeAsync("sendgrid", storeId, "99999999", ct);
    }
}
