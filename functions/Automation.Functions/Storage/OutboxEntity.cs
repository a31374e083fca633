using System.Text.Json;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>
/// An outbox row (<c>out|{actionId}</c>) in the customer's partition: a side effect decided and
/// committed with its decision, not yet reported done. Deleted in the transaction that applies its
/// result. <c>State</c> is <c>pending</c>, or <c>sending</c> once an email's send has begun (so a
/// crash mid-send is recognised); <c>Attempts</c> counts dispatches that failed and will be retried.
/// </summary>
internal static class OutboxEntity
{
    public const string Prefix = "out|";
    public const string Pending = "pending", Sending = "sending";

    public static string RowKey(string actionId) => Prefix + actionId;

    public static TableEntity ToEntity(string partitionKey, JourneyAction a) => new(partitionKey, RowKey(a.Id))
    {
        ["Kind"] = a.Kind,
        ["Journey"] = a.JourneyId,
        ["State"] = Pending,
        ["Attempts"] = 0,
        ["CreatedAt"] = a.CreatedAt,
        ["Doc"] = JsonSerializer.Serialize(a, JsonColumns.Options),
    };

    public static JourneyAction FromEntity(TableEntity e) =>
        JsonSerializer.Deserialize<JourneyAction>(e.GetString("Doc") ?? "null", JsonColumns.Options)
        ?? throw new InvalidDataException($"Outbox row {e.PartitionKey}/{e.RowKey} has no action.");
}
