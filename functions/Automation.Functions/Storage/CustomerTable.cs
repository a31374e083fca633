using System.Runtime.CompilerServices;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>What the decision for one event reads: profile, journey states, and the ETag guarding both.</summary>
/// <param name="HousekeepAt">When the partition's old processed-event markers are next cleared (a timer is armed for it).</param>
public sealed record CustomerState(CustomerProfile? Profile, JourneyStates Journeys, ETag ETag, DateTimeOffset? HousekeepAt = null);

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
/// processed-event markers (row key <c>evt|{eventId}</c>), the outbox rows
/// (<c>out|{actionId}</c>) and one history row per ended journey run (<c>run|{journey}|{run}</c>).
/// </summary>
public sealed class CustomerTable(StorageClients clients)
{
    public const string MarkerPrefix = "evt|";
    private readonly TableClient _table = clients.Table(StorageClients.CustomersTable);

    /// <summary>The one read on the hot path: a point read of the profile row, journeys included.</summary>
    public async Task<CustomerState> ReadStateAsync(string partitionKey, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, ProfileEntity.RowKey, cancellationToken: ct);
        return row.HasValue && row.Value is { } e
            ? new CustomerState(ProfileEntity.FromEntity(e), ProfileEntity.JourneysFromEntity(e), e.ETag, e.GetDateTimeOffset(ProfileEntity.HousekeepColumn))
            : new CustomerState(null, JourneyStates.Empty, default);
    }

    public async Task<(CustomerProfile? Profile, ETag ETag)> ReadProfileAsync(string partitionKey, CancellationToken ct)
    {
        var state = await ReadStateAsync(partitionKey, ct);
        return (state.Profile, state.ETag);
    }

    /// <summary>
    /// The one write on the hot path, one entity group transaction: the new profile and journey
    /// states (guarded by the ETag they were read with, or inserted when new), the event's processed
    /// marker (an insert, so a second application of the same event fails as a whole), the outbox
    /// rows of the actions decided, and the deletion of the outbox rows whose results this event
    /// reports.
    /// </summary>
    public async Task<CommitResult> CommitAsync(string partitionKey, CustomerProfile profile, JourneyStates journeys, ETag readETag, CustomerEvent e,
        IReadOnlyList<JourneyAction> actions, IReadOnlyList<string> completed, DateTimeOffset now, CancellationToken ct,
        IReadOnlyList<JourneyInstance>? ended = null, DateTimeOffset? housekeepAt = null)
    {
        var profileRow = ProfileEntity.ToEntity(partitionKey, profile, journeys, now);
        if (housekeepAt is not null) profileRow[ProfileEntity.HousekeepColumn] = housekeepAt;
        var marker = new TableEntity(partitionKey, MarkerPrefix + e.Id) { ["Type"] = e.Type, ["AppliedAt"] = now, ["OccurredAt"] = e.OccurredAt };
        var batch = new List<TableTransactionAction>
        {
            readETag == default ? new(TableTransactionActionType.Add, profileRow) : new(TableTransactionActionType.UpdateReplace, profileRow, readETag),
            new(TableTransactionActionType.Add, marker),
        };
        batch.AddRange(actions.Select(a => new TableTransactionAction(TableTransactionActionType.Add, OutboxEntity.ToEntity(partitionKey, a))));
        batch.AddRange((ended ?? []).Select(run => new TableTransactionAction(TableTransactionActionType.UpsertReplace, RunEntity.ToEntity(partitionKey, run))));
        var deletes = completed.Distinct(StringComparer.Ordinal)
            .Select(id => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, OutboxEntity.RowKey(id)), ETag.All))
            .ToList();
        try
        {
            await _table.SubmitTransactionAsync([.. batch, .. deletes], ct);
            return CommitResult.Committed;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404 && deletes.Count > 0 && ex.FailedTransactionActionIndex >= batch.Count)
        {
            // The outbox row is already gone (the customer was erased since): apply the result without it.
            return await CommitAsync(partitionKey, profile, journeys, readETag, e, actions, [], now, ct, ended, housekeepAt);
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

    /// <summary>The outbox rows of one customer, oldest first (at most a handful: results delete them).</summary>
    public async Task<IReadOnlyList<TableEntity>> ReadOutboxAsync(string partitionKey, CancellationToken ct)
    {
        var rows = new List<TableEntity>();
        var query = _table.QueryAsync<TableEntity>(x => x.PartitionKey == partitionKey && x.RowKey.CompareTo(OutboxEntity.Prefix) >= 0 && x.RowKey.CompareTo("out}") < 0, cancellationToken: ct);
        await foreach (var row in query) rows.Add(row);
        return rows;
    }

    /// <summary>Updates an outbox row under its ETag and takes the new one (so the caller can update it again); false when it changed or vanished meanwhile.</summary>
    public async Task<bool> UpdateOutboxAsync(TableEntity row, CancellationToken ct)
    {
        try
        {
            var response = await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
            row.ETag = response.Headers.ETag ?? row.ETag;
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Active instances of a journey by version and step, from the <c>Active</c> column of every
    /// profile row: a scan of the table, so only for rare admin actions (a publish dry run).
    /// </summary>
    public async Task<IReadOnlyDictionary<(int Version, string Step), int>> CountActiveInstancesAsync(string journeyId, CancellationToken ct)
    {
        var counts = new Dictionary<(int, string), int>();
        var rows = _table.QueryAsync<TableEntity>($"RowKey eq '{ProfileEntity.RowKey}' and {ProfileEntity.ActiveColumn} gt ''", select: [ProfileEntity.ActiveColumn], cancellationToken: ct);
        await foreach (var row in rows)
            foreach (var (journey, version, step) in ProfileEntity.ParseActive(row.GetString(ProfileEntity.ActiveColumn)))
                if (journey == journeyId) counts[(version, step)] = counts.GetValueOrDefault((version, step)) + 1;
        return counts;
    }

    /// <summary>
    /// The profiles of one store, a page at a time from <paramref name="continuation"/> (null: the
    /// start), each page with the token that resumes after it (null after the last). One range query over
    /// the store's partitions (<c>{storeId}|…</c>) filtered to the profile rows on the server, reading only
    /// the profile document's columns, not the journey states beside it. For rare admin work (rebuilding
    /// the audience index): it reads every row of the store's partitions on the server's side.
    /// </summary>
    public async IAsyncEnumerable<(IReadOnlyList<CustomerProfile> Profiles, string? Continuation)> ProfilesOfStoreAsync(
        string storeId, string? continuation, int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {storeId + "|"} and PartitionKey lt {storeId + "}"} and RowKey eq {ProfileEntity.RowKey}");
        var pages = _table.QueryAsync<TableEntity>(filter, pageSize, ["PartitionKey", "RowKey", .. JsonColumns.Names("Doc")], ct).AsPages(continuation);
        await foreach (var page in pages)
            yield return ([.. page.Values.Select(ProfileEntity.FromEntity)], page.ContinuationToken);
    }

    /// <summary>
    /// Deletes the partition's processed-event markers applied before <paramref name="before"/>:
    /// past every redelivery window, they only cost storage.
    /// </summary>
    /// <returns>Markers deleted.</returns>
    public async Task<int> DeleteMarkersAsync(string partitionKey, DateTimeOffset before, CancellationToken ct)
    {
        var old = new List<TableEntity>();
        var rows = _table.QueryAsync<TableEntity>(x => x.PartitionKey == partitionKey && x.RowKey.CompareTo(MarkerPrefix) >= 0 && x.RowKey.CompareTo("evt}") < 0,
            select: ["PartitionKey", "RowKey", "AppliedAt"], cancellationToken: ct);
        await foreach (var row in rows)
            if (row.GetDateTimeOffset("AppliedAt") is { } at && at < before) old.Add(row);
        await _table.DeleteRowsAsync(old, ct);
        return old.Count;
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
