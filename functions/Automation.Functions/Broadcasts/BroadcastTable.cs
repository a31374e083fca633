using System.Globalization;
using System.Text;
using Automation.Functions.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Broadcasts;

/// <summary>One customer's planned entry into a broadcast: who, when (the minute their local send time falls in), and for which occasion.</summary>
/// <param name="Sending">The batch that was handed to SendGrid with this entry in it, when it was; a re-run does not send it again.</param>
public sealed record BroadcastEntry(
    string PartitionKey, string CustomerKey, string StoreId, string JourneyId, string Occasion, string Holiday, string? HolidayName,
    DateOnly Date, string Market, DateTimeOffset DueAt, string? Sending)
{
    /// <summary>The entries sent together: one minute, store, journey and occasion (every shard of it).</summary>
    public string Group => PartitionKey[..PartitionKey.LastIndexOf('|')];
}

/// <summary>What planning a broadcast found; <see cref="BroadcastTable.Planned"/> once every entry is written.</summary>
public sealed record BroadcastPlan(
    string StoreId, string JourneyId, string Occasion, string Holiday, string State,
    long Entries, long Scanned, long NotInMarket, DateTimeOffset? FirstDue, DateTimeOffset? LastDue, DateTimeOffset PlannedAt,
    IReadOnlyDictionary<string, string> Dates);

/// <summary>
/// The <c>broadcasts</c> table. Entries: partition <c>{due minute yyyyMMddHHmm}|{store}|{journey}|{occasion}|{shard 00-15}</c>,
/// row key the customer key, written by the planner in entity group transactions of 100 and deleted by the sender once
/// the customer's entry is committed; the sender reads every partition up to the current minute, in order, so the
/// recipients of one minute (all shards) come together. Plans: partition <c>plan|{store}</c>, row
/// <c>{journey}|{occasion}</c>; <c>p</c> sorts after every digit, so no entry query reads them. Persisted names never change.
/// </summary>
public sealed class BroadcastTable(StorageClients clients)
{
    public const string Planning = "planning", Planned = "planned";
    public const int Shards = 16;
    private const int TransactionSize = 100;
    private const string PlanPrefix = "plan|";

    private readonly TableClient _table = clients.Table(StorageClients.BroadcastsTable);

    public static string EntryPartition(DateTimeOffset due, string storeId, string journeyId, string occasion, string customerKey) =>
        $"{Minute(due)}|{storeId}|{journeyId}|{occasion}|{(Fnv1a(customerKey) % Shards).ToString("D2", CultureInfo.InvariantCulture)}";

    /// <summary>Writes entries of one partition, a transaction per 100 (upserts: planning again writes the same rows).</summary>
    public async Task WriteAsync(IReadOnlyList<BroadcastEntry> entries, CancellationToken ct)
    {
        foreach (var partition in entries.GroupBy(e => e.PartitionKey))
            foreach (var chunk in partition.Chunk(TransactionSize))
                await _table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(e))), ct);
    }

    /// <summary>
    /// The first group due at or before <paramref name="now"/> (oldest minute first), at most <paramref name="max"/>
    /// of its entries.
    /// </summary>
    public async Task<IReadOnlyList<BroadcastEntry>> NextDueAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {Minute(now.AddMinutes(1))}");
        var due = new List<BroadcastEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: ct))
        {
            var entry = FromEntity(row);
            if (due.Count > 0 && entry.Group != due[0].Group) break;
            due.Add(entry);
            if (due.Count >= max) break;
        }
        return due;
    }

    /// <summary>Marks entries as handed to SendGrid in <paramref name="batchId"/>, before the request goes out.</summary>
    public Task MarkSendingAsync(IEnumerable<BroadcastEntry> entries, string batchId, CancellationToken ct) =>
        Submit(entries, e => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
            new TableEntity(e.PartitionKey, e.CustomerKey) { ["Sending"] = batchId }, ETag.All), ct);

    public Task DeleteAsync(IEnumerable<BroadcastEntry> entries, CancellationToken ct) =>
        Submit(entries, e => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(e.PartitionKey, e.CustomerKey), ETag.All), ct);

    /// <summary>Moves an entry to a later minute (a failure, a paused journey): written there first, then deleted here.</summary>
    public async Task PostponeAsync(BroadcastEntry entry, DateTimeOffset until, CancellationToken ct)
    {
        var moved = entry with { PartitionKey = EntryPartition(until, entry.StoreId, entry.JourneyId, entry.Occasion, entry.CustomerKey) };
        await _table.UpsertEntityAsync(ToEntity(moved), TableUpdateMode.Replace, ct);
        await DeleteOneAsync(entry, ct);
    }

    private async Task Submit(IEnumerable<BroadcastEntry> entries, Func<BroadcastEntry, TableTransactionAction> action, CancellationToken ct)
    {
        foreach (var partition in entries.GroupBy(e => e.PartitionKey))
            foreach (var chunk in partition.Chunk(TransactionSize))
            {
                try
                {
                    await _table.SubmitTransactionAsync(chunk.Select(action), ct);
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 404)
                {
                    // One of them is gone already (an earlier run deleted it): do the rest one at a time.
                    foreach (var e in chunk)
                    {
                        try
                        {
                            await _table.SubmitTransactionAsync([action(e)], ct);
                        }
                        catch (TableTransactionFailedException one) when (one.Status == 404)
                        {
                        }
                    }
                }
            }
    }

    private async Task DeleteOneAsync(BroadcastEntry e, CancellationToken ct)
    {
        try
        {
            await _table.DeleteEntityAsync(e.PartitionKey, e.CustomerKey, ETag.All, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    public async Task<BroadcastPlan?> GetPlanAsync(string storeId, string journeyId, string occasion, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(PlanPrefix + storeId, $"{journeyId}|{occasion}", cancellationToken: ct);
        return row.HasValue && row.Value is { } e ? PlanFrom(e) : null;
    }

    public async Task<IReadOnlyList<BroadcastPlan>> ListPlansAsync(string storeId, CancellationToken ct)
    {
        var plans = new List<BroadcastPlan>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PlanPrefix + storeId}"), cancellationToken: ct))
            plans.Add(PlanFrom(row));
        return plans;
    }

    public Task SavePlanAsync(BroadcastPlan plan, CancellationToken ct) =>
        _table.UpsertEntityAsync(new TableEntity(PlanPrefix + plan.StoreId, $"{plan.JourneyId}|{plan.Occasion}")
        {
            ["Journey"] = plan.JourneyId, ["Occasion"] = plan.Occasion, ["Holiday"] = plan.Holiday, ["State"] = plan.State,
            ["Entries"] = plan.Entries, ["Scanned"] = plan.Scanned, ["NotInMarket"] = plan.NotInMarket,
            ["FirstDue"] = plan.FirstDue, ["LastDue"] = plan.LastDue, ["PlannedAt"] = plan.PlannedAt,
            ["Dates"] = System.Text.Json.JsonSerializer.Serialize(plan.Dates),
        }, TableUpdateMode.Replace, ct);

    /// <summary>
    /// A store's plans and pending entries (shop redaction). Entries lie under minute partitions, so they are found by a
    /// scan of the table for the store's segment and deleted as they are read: the table holds only what is still to send.
    /// </summary>
    public async Task DeleteStoreAsync(string storeId, CancellationToken ct)
    {
        await foreach (var row in _table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: ct))
        {
            var pk = row.PartitionKey;
            var mine = pk == PlanPrefix + storeId || !pk.StartsWith(PlanPrefix, StringComparison.Ordinal) && pk.Split('|') is [_, var store, ..] && store == storeId;
            if (!mine) continue;
            try
            {
                await _table.DeleteEntityAsync(pk, row.RowKey, ETag.All, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
    }

    private static BroadcastPlan PlanFrom(TableEntity e) => new(
        e.PartitionKey[PlanPrefix.Length..], e.GetString("Journey") ?? "", e.GetString("Occasion") ?? "", e.GetString("Holiday") ?? "",
        e.GetString("State") ?? Planning, e.GetInt64("Entries") ?? 0, e.GetInt64("Scanned") ?? 0, e.GetInt64("NotInMarket") ?? 0,
        e.GetDateTimeOffset("FirstDue"), e.GetDateTimeOffset("LastDue"), e.GetDateTimeOffset("PlannedAt") ?? default,
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(e.GetString("Dates") ?? "{}") ?? []);

    private static TableEntity ToEntity(BroadcastEntry e) => new(e.PartitionKey, e.CustomerKey)
    {
        ["StoreId"] = e.StoreId, ["Journey"] = e.JourneyId, ["Occasion"] = e.Occasion, ["Holiday"] = e.Holiday, ["HolidayName"] = e.HolidayName,
        ["Date"] = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["Market"] = e.Market, ["DueAt"] = e.DueAt, ["Sending"] = e.Sending,
    };

    private static BroadcastEntry FromEntity(TableEntity row) => new(
        row.PartitionKey, row.RowKey, row.GetString("StoreId") ?? "", row.GetString("Journey") ?? "", row.GetString("Occasion") ?? "",
        row.GetString("Holiday") ?? "", row.GetString("HolidayName"),
        DateOnly.ParseExact(row.GetString("Date") ?? "0001-01-01", "yyyy-MM-dd", CultureInfo.InvariantCulture),
        row.GetString("Market") ?? "", row.GetDateTimeOffset("DueAt") ?? default, row.GetString("Sending"));

    private static string Minute(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static uint Fnv1a(string s)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(s)) hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
