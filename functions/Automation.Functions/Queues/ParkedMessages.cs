using Azure.Data.Tables;

namespace Automation.Functions.Queues;

/// <summary>A message that kept failing, kept with its reason for an operator.</summary>
public sealed record ParkedMessage(string Id, string Queue, string MessageId, string Reason, long Attempts, DateTimeOffset ParkedAt, string Body);

/// <summary>
/// The <c>parked</c> table: messages that could not be processed, newest first (row keys are
/// inverted ticks), partitioned by day so that listing and clean-up stay cheap.
/// </summary>
public sealed class ParkedMessages(Storage.StorageClients clients, TimeProvider time)
{
    private readonly TableClient _table = clients.Table(Storage.StorageClients.ParkedTable);

    public async Task ParkAsync(string queue, string messageId, string reason, long attempts, BinaryData body, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var row = new TableEntity(now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), $"{DateTimeOffset.MaxValue.Ticks - now.Ticks:D19}-{messageId}")
        {
            ["Queue"] = queue,
            ["MessageId"] = messageId,
            ["Reason"] = reason.Length > 4000 ? reason[..4000] : reason,
            ["Attempts"] = attempts,
            ["ParkedAt"] = now,
            ["Body"] = body.ToArray(),
        };
        await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
    }

    public async Task<IReadOnlyList<ParkedMessage>> ListAsync(int max, CancellationToken ct)
    {
        var list = new List<ParkedMessage>();
        await foreach (var r in _table.QueryAsync<TableEntity>(maxPerPage: Math.Min(max, 1000), cancellationToken: ct))
        {
            list.Add(new ParkedMessage(r.PartitionKey + "/" + r.RowKey, r.GetString("Queue") ?? "", r.GetString("MessageId") ?? "",
                r.GetString("Reason") ?? "", r.GetInt64("Attempts") ?? 0, r.GetDateTimeOffset("ParkedAt") ?? default,
                System.Text.Encoding.UTF8.GetString(r.GetBinary("Body") ?? [])));
            if (list.Count >= max) break;
        }
        return list.OrderByDescending(m => m.ParkedAt).ToList();
    }
}
