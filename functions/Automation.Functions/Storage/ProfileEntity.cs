using System.Globalization;
using System.Text.Json;
using Automation.Core.Events;
using Automation.Core.Profiles;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>
/// The profile row: the profile as a JSON document (split over <c>Doc</c>, <c>Doc1</c>, … because
/// one string property holds at most 32K characters) plus a few plain columns for operators
/// browsing the table. Row key <c>profile</c>; persisted names never change.
/// </summary>
internal static class ProfileEntity
{
    public const string RowKey = "profile";
    private const int ChunkChars = 30_000;

    public static TableEntity ToEntity(string partitionKey, CustomerProfile p, DateTimeOffset now)
    {
        var json = JsonSerializer.Serialize(p, EventJson.Options);
        var e = new TableEntity(partitionKey, RowKey)
        {
            ["SchemaVersion"] = p.SchemaVersion,
            ["Tier"] = LifecycleTier.At(p, now),
            ["OrderCount"] = p.OrderCount,
            ["TotalSpent"] = p.TotalSpent.ToString(CultureInfo.InvariantCulture),
            ["LastOrderAt"] = p.LastOrderAt,
            ["Redacted"] = p.RedactedAt is not null,
        };
        for (var i = 0; i * ChunkChars < json.Length; i++)
            e[i == 0 ? "Doc" : "Doc" + i] = json.Substring(i * ChunkChars, Math.Min(ChunkChars, json.Length - i * ChunkChars));
        return e;
    }

    public static CustomerProfile FromEntity(TableEntity e)
    {
        var doc = e.GetString("Doc") ?? throw new InvalidDataException($"Profile row {e.PartitionKey} has no Doc.");
        for (var i = 1; e.GetString("Doc" + i) is { } more; i++) doc += more;
        return JsonSerializer.Deserialize<CustomerProfile>(doc, EventJson.Options)
            ?? throw new InvalidDataException($"Profile row {e.PartitionKey} holds JSON null.");
    }
}
