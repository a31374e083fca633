using System.Globalization;
using Automation.Core.Ingestion;
using Automation.Functions.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Reports;

/// <summary>Well-known metric names. Persisted (row keys): they never change.</summary>
public static class JourneyMetrics
{
    // Fed by SendGrid's event webhook.
    public const string Delivered = "delivered", Open = "open", Click = "click", Bounce = "bounce", Blocked = "blocked",
        Dropped = "dropped", SpamReport = "spamreport", Unsubscribe = "unsubscribe";

    // For the outbox dispatcher, the policy gate and the goal/coupon code to feed.
    public const string Sent = "sent", Failed = "failed", Skipped = "skipped", Deferred = "deferred",
        Conversion = "conversion", Revenue = "revenue", CouponRedeemed = "coupon_redeemed";

    // Per split group (a path id, or "holdout"): the metric is the prefix followed by the group, e.g.
    // "group_member:holdout". Members count at the split's step, when it assigns the run; conversions
    // (with their revenue as the amount) at the journey level, in the group the conversion carries,
    // besides the plain Conversion counter that stays the journey's total.
    public const string GroupMemberPrefix = "group_member:", GroupConversionPrefix = "group_conversion:";

    public static string GroupMember(string group) => GroupMemberPrefix + group;

    public static string GroupConversion(string group) => GroupConversionPrefix + group;

    /// <summary>The group a per-group metric is about, or null for any other metric.</summary>
    public static string? GroupOf(string metric, string prefix) =>
        metric.StartsWith(prefix, StringComparison.Ordinal) && metric.Length > prefix.Length ? metric[prefix.Length..] : null;

    public static bool IsPerGroup(string metric) =>
        metric.StartsWith(GroupMemberPrefix, StringComparison.Ordinal) || metric.StartsWith(GroupConversionPrefix, StringComparison.Ordinal);
}

/// <summary>One counter: how many, and the sum of amounts when it carries money (revenue, in store currency).</summary>
public sealed record StatValue(long Count, decimal Amount);

/// <summary>
/// Counters per (store, journey, step, metric), table <c>stats</c>: partition <c>{store}|{journey}</c>,
/// row <c>{step}|{metric}|{shard}</c>. A report reads one partition. Writers pick one of
/// <see cref="Shards"/> rows at random and update it under its ETag (retrying on a lost race), so a busy
/// step's counter is not one hot row and no increment is lost. Journey-level metrics (conversions,
/// revenue) use the step <see cref="JourneyLevel"/>.
/// </summary>
public sealed class JourneyStats(StorageClients clients, ILogger<JourneyStats> log)
{
    public const int Shards = 4;
    public const string JourneyLevel = "-";
    private readonly TableClient _table = clients.Table(StorageClients.StatsTable);

    /// <summary>Adds <paramref name="count"/> (and <paramref name="amount"/>) to the counter. Not idempotent: call it once per fact.</summary>
    public async Task IncrementAsync(string storeId, string journeyId, string? stepId, string metric, long count = 1, decimal? amount = null, CancellationToken ct = default)
    {
        var pk = Partition(storeId, journeyId);
        var shard = Random.Shared.Next(Shards);
        for (var attempt = 0; ; attempt++)
        {
            var rk = Row(stepId, metric, shard);
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: ct);
            var existing = row.HasValue ? row.Value : null;
            var entity = new TableEntity(pk, rk)
            {
                ["Step"] = stepId ?? JourneyLevel,
                ["Metric"] = metric,
                ["Count"] = (existing?.GetInt64("Count") ?? 0) + count,
                ["Amount"] = ((ParseAmount(existing) ?? 0m) + (amount ?? 0m)).ToString(CultureInfo.InvariantCulture),
            };
            try
            {
                if (existing is null) await _table.AddEntityAsync(entity, ct);
                else await _table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, ct);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 20)
            {
                Log.StatConflict(log, storeId, journeyId, stepId ?? JourneyLevel, metric, shard);
                shard = (shard + 1) % Shards; // the next shard is likely quieter
            }
        }
    }

    /// <summary>Every counter of one journey: step → metric → value, shards summed.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, StatValue>>> ReadAsync(string storeId, string journeyId, CancellationToken ct)
    {
        var pk = Partition(storeId, journeyId);
        var steps = new Dictionary<string, Dictionary<string, StatValue>>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<TableEntity>(x => x.PartitionKey == pk, cancellationToken: ct))
        {
            var step = row.GetString("Step") ?? JourneyLevel;
            var metric = row.GetString("Metric") ?? "";
            var metrics = steps.TryGetValue(step, out var m) ? m : steps[step] = new(StringComparer.Ordinal);
            var before = metrics.GetValueOrDefault(metric) ?? new StatValue(0, 0m);
            metrics[metric] = new StatValue(before.Count + (row.GetInt64("Count") ?? 0), before.Amount + (ParseAmount(row) ?? 0m));
        }
        return steps.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, StatValue>)s.Value, StringComparer.Ordinal);
    }

    private static decimal? ParseAmount(TableEntity? e) =>
        e?.GetString("Amount") is { } s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static string Partition(string storeId, string journeyId) => EventIds.Safe(storeId) + "|" + EventIds.Safe(journeyId);

    private static string Row(string? stepId, string metric, int shard) =>
        EventIds.Safe(stepId ?? JourneyLevel) + "|" + EventIds.Safe(metric) + "|" + shard.ToString(CultureInfo.InvariantCulture);
}
