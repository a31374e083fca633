using Automation.Core.Events;
using Automation.Core.Profiles;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>How a commit of one event's decision ended.</summary>
public enum CommitResult
{
    Committed,

    /// <summary>Another worker changed the profile since it was read: read and decide again.</summary>
    Conflict,

    /// <summary>The event's processed-marker exists: it was applied already.</summary>
    Duplicate,
}

/// <summary>
/// The <c>customers</c> table: one partition per customer holding the profile row and the
/// processed-event markers (row key <c>evt|{eventId}</c>). Later stages add journey, outbox
/// and history rows to the same partition.
/// </summary>
public sealed class CustomerTable(StorageClients clients)
{
    public const string MarkerPrefix = "evt|";
    private readonly TableClient _table = clients.Table(StorageClients.CustomersTable);

    /// <summary>The one read on the hot path: a point read of the profile row.</summary>
    public async Task<(CustomerProfile? Profile, ETag ETag)> ReadProfileAsync(string partitionKey, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, ProfileEntity.RowKey, cancellationToken: ct);
        return row.HasValue && row.Value is { } e ? (ProfileEntity.FromEntity(e), e.ETag) : (null, default);
    }

    /// <summary>
    /// The one write on the hot path: the new profile and the event's marker in one entity group
    /// transaction. The profile is guarded by the ETag it was read with (or must not exist yet);
    /// the marker is an insert, so a second application of the same event fails as a whole.
    /// </summary>
    public async Task<CommitResult> CommitAsync(string partitionKey, CustomerProfile profile, ETag readETag, CustomerEvent e, DateTimeOffset now, CancellationToken ct)
    {
        var profileRow = ProfileEntity.ToEntity(partitionKey, profile, now);
        var marker = new TableEntity(partitionKey, MarkerPrefix + e.Id) { ["Type"] = e.Type, ["AppliedAt"] = now, ["OccurredAt"] = e.OccurredAt };
        TableTransactionAction[] actions = readETag == default
            ? [new(TableTransactionActionType.Add, profileRow), new(TableTransactionActionType.Add, marker)]
            : [new(TableTransactionActionType.UpdateReplace, profileRow, readETag), new(TableTransactionActionType.Add, marker)];
        try
        {
            await _table.SubmitTransactionAsync(actions, ct);
            return CommitResult.Committed;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            if (ex.FailedTransactionActionIndex == 1) return CommitResult.Duplicate;
            if (ex.FailedTransactionActionIndex == 0) return CommitResult.Conflict;
            // The service did not say which action failed: look at the marker itself.
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, MarkerPrefix + e.Id, ["RowKey"], ct);
            return existing.HasValue ? CommitResult.Duplicate : CommitResult.Conflict;
        }
    }

    /// <summary>Deletes every row of the partition except the profile row and the event markers.</summary>
    public async Task DeleteCustomerDataAsync(string partitionKey, CancellationToken ct)
    {
        var rows = _table.QueryAsync<TableEntity>(x => x.PartitionKey == partitionKey, select: ["PartitionKey", "RowKey"], cancellationToken: ct);
        var doomed = new List<TableEntity>();
        await foreach (var row in rows)
            if (row.RowKey != ProfileEntity.RowKey && !row.RowKey.StartsWith(MarkerPrefix, StringComparison.Ordinal))
                doomed.Add(row);
        await _table.DeleteRowsAsync(doomed, ct);
    }

    /// <summary>Deletes every row of every partition of the store except <paramref name="keep"/>.</summary>
    public Task DeleteStoreAsync(string storeId, string keep, CancellationToken ct) => _table.DeleteStoreAsync(storeId, keep, ct);
}
