using System.Globalization;
using System.Text;
using Automation.Core.Journeys.Engine;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>A due row of the <c>timers</c> table.</summary>
/// <param name="Kind"><c>wake</c> (a journey instance's wake-up), <c>outbox</c> (check the customer's undispatched actions)
/// or <c>housekeep</c> (clear the customer's old processed-event markers).</param>
public sealed record DueTimer(string PartitionKey, string RowKey, string Kind, string StoreId, string CustomerKey, string JourneyId, string Token, DateTimeOffset DueAt);

/// <summary>
/// The <c>timers</c> table: <c>PartitionKey = yyyyMMddHHmm-ss</c> (the due minute, and a shard
/// 00-15 from a hash of the customer, so no partition runs hot), <c>RowKey =
/// {customer partition}|{journey}|{token}</c>. Rows are written before the decision's transaction
/// (an upsert, harmless when that transaction then fails: a wake-up whose token the instance does
/// not hold does nothing) and deleted by the sweeper once turned into events.
/// </summary>
public sealed class TimerTable(StorageClients clients)
{
    public const string Wake = "wake", Outbox = "outbox", Housekeep = "housekeep";
    private const string OutboxJourney = "_outbox", HousekeepJourney = "_housekeep";
    public const int Shards = 16;

    private readonly TableClient _table = clients.Table(StorageClients.TimersTable);

    public Task ArmAsync(string storeId, string customerKey, IEnumerable<JourneyTimer> timers, CancellationToken ct) =>
        Task.WhenAll(timers.Select(t => UpsertAsync(storeId, customerKey, Wake, t.JourneyId, t.Token, t.DueAt, ct)));

    /// <summary>A check of the customer's outbox at <paramref name="due"/>, in case the dispatch right after the commit does not happen.</summary>
    public Task ArmOutboxCheckAsync(string storeId, string customerKey, string token, DateTimeOffset due, CancellationToken ct) =>
        UpsertAsync(storeId, customerKey, Outbox, OutboxJourney, token, due, ct);

    /// <summary>A clean-up of the customer's old processed-event markers at <paramref name="due"/>.</summary>
    public Task ArmHousekeepingAsync(string storeId, string customerKey, DateTimeOffset due, CancellationToken ct) =>
        UpsertAsync(storeId, customerKey, Housekeep, HousekeepJourney, due.UtcTicks.ToString(CultureInfo.InvariantCulture), due, ct);

    private Task UpsertAsync(string storeId, string customerKey, string kind, string journey, string token, DateTimeOffset due, CancellationToken ct)
    {
        var customer = Core.Customers.CustomerKey.Partition(storeId, customerKey);
        var row = new TableEntity(PartitionFor(due, customer), $"{customer}|{journey}|{token}")
        {
            ["Kind"] = kind, ["StoreId"] = storeId, ["CustomerKey"] = customerKey, ["Journey"] = journey, ["Token"] = token, ["DueAt"] = due,
        };
        return _table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
    }

    /// <summary>Timers due at or before <paramref name="now"/>, oldest minute first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<DueTimer>> DueAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        var upTo = Minute(now) + "-99";
        var due = new List<DueTimer>();
        await foreach (var row in _table.QueryAsync<TableEntity>($"PartitionKey le '{upTo}'", maxPerPage: Math.Min(max, 1000), cancellationToken: ct))
        {
            var timer = ToTimer(row);
            if (timer.DueAt <= now) due.Add(timer);
            if (due.Count >= max) break;
        }
        return due;
    }

    /// <summary>The earliest timer due at or before <paramref name="upTo"/>, if any (for the virtual clock).</summary>
    public async Task<DateTimeOffset?> EarliestDueAsync(DateTimeOffset upTo, CancellationToken ct)
    {
        DateTimeOffset? earliest = null;
        string? firstMinute = null;
        await foreach (var row in _table.QueryAsync<TableEntity>($"PartitionKey le '{Minute(upTo)}-99'", select: ["PartitionKey", "DueAt"], cancellationToken: ct))
        {
            var minute = row.PartitionKey[..12];
            if (firstMinute is not null && string.CompareOrdinal(minute, firstMinute) > 0) break;
            firstMinute = minute;
            if (row.GetDateTimeOffset("DueAt") is { } at && at <= upTo && (earliest is null || at < earliest)) earliest = at;
        }
        return earliest;
    }

    /// <summary>Deletes swept rows, a transaction per partition (due minute and shard) of up to 100 rows.</summary>
    public async Task DeleteAsync(IReadOnlyList<DueTimer> swept, CancellationToken ct)
    {
        foreach (var partition in swept.GroupBy(t => t.PartitionKey))
            foreach (var chunk in partition.Chunk(100))
            {
                try
                {
                    await _table.SubmitTransactionAsync(chunk.Select(t =>
                        new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(t.PartitionKey, t.RowKey), ETag.All)), ct);
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 404)
                {
                    // Another sweeper took some of them first: delete the rest one by one.
                    foreach (var t in chunk) await DeleteAsync(t, ct);
                }
            }
    }

    public async Task DeleteAsync(DueTimer timer, CancellationToken ct)
    {
        try
        {
            await _table.DeleteEntityAsync(timer.PartitionKey, timer.RowKey, ETag.All, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Another sweeper took it first.
        }
    }

    public static string PartitionFor(DateTimeOffset due, string customerPartition) =>
        Minute(due) + "-" + (Fnv1a(customerPartition) % Shards).ToString("D2", CultureInfo.InvariantCulture);

    private static string Minute(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static DueTimer ToTimer(TableEntity row) => new(row.PartitionKey, row.RowKey,
        row.GetString("Kind") ?? Wake, row.GetString("StoreId") ?? "", row.GetString("CustomerKey") ?? "",
        row.GetString("Journey") ?? "", row.GetString("Token") ?? "", row.GetDateTimeOffset("DueAt") ?? default);

    private static uint Fnv1a(string s)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(s)) hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
