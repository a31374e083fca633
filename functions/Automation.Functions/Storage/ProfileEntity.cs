using System.Globalization;
using System.Text;
using System.Text.Json;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Automation.Core.Profiles;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>
/// The profile row: the profile (<c>Doc</c>, <c>Doc1</c>, …) and the customer's journey states
/// (<c>Jrn</c>, <c>Jrn1</c>, …) as JSON documents split into chunks (one string property holds at
/// most 32K characters), so one point read gives the decision all it needs. Plain columns help
/// operators browsing the table, and <c>Active</c> (<c>journey@version:step</c> of each active
/// instance) lets a publish dry run count instances without reading whole documents.
/// Row key <c>profile</c>; persisted names never change.
/// </summary>
internal static class ProfileEntity
{
    public const string RowKey = "profile";
    public const string ActiveColumn = "Active";
    public const string HousekeepColumn = "HousekeepAt";


    public static TableEntity ToEntity(string partitionKey, CustomerProfile p, JourneyStates journeys, DateTimeOffset now)
    {
        var e = new TableEntity(partitionKey, RowKey)
        {
            ["SchemaVersion"] = p.SchemaVersion,
            ["Tier"] = LifecycleTier.At(p, now),
            ["OrderCount"] = p.OrderCount,
            ["TotalSpent"] = p.TotalSpent.ToString(CultureInfo.InvariantCulture),
            ["LastOrderAt"] = p.LastOrderAt,
            ["Redacted"] = p.RedactedAt is not null,
            [ActiveColumn] = Active(journeys),
        };
        JsonColumns.Write(e, "Doc", JsonSerializer.Serialize(p, EventJson.Options));
        if (journeys.Instances.Count > 0) JsonColumns.Write(e, "Jrn", JsonSerializer.Serialize(journeys, JsonColumns.Options));
        return e;
    }

    public static CustomerProfile FromEntity(TableEntity e) =>
        JsonSerializer.Deserialize<CustomerProfile>(JsonColumns.Read(e, "Doc") ?? throw new InvalidDataException($"Profile row {e.PartitionKey} has no Doc."), EventJson.Options)
        ?? throw new InvalidDataException($"Profile row {e.PartitionKey} holds JSON null.");

    public static JourneyStates JourneysFromEntity(TableEntity e) =>
        JsonColumns.Read(e, "Jrn") is { } json ? JsonSerializer.Deserialize<JourneyStates>(json, JsonColumns.Options) ?? JourneyStates.Empty : JourneyStates.Empty;

    private static string Active(JourneyStates journeys)
    {
        var sb = new StringBuilder();
        foreach (var i in journeys.Instances.Values.Where(i => i.IsActive))
            sb.Append(sb.Length > 0 ? " " : "").Append(i.JourneyId).Append('@').Append(i.Version).Append(':').Append(i.StepId);
        return sb.ToString();
    }

    /// <summary>Parses the <c>Active</c> column back into (journey, version, step) triples.</summary>
    public static IEnumerable<(string Journey, int Version, string Step)> ParseActive(string? active)
    {
        foreach (var item in (active ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = item.IndexOf('@');
            var colon = item.IndexOf(':', at + 1);
            if (at > 0 && colon > at && int.TryParse(item.AsSpan(at + 1, colon - at - 1), CultureInfo.InvariantCulture, out var version))
                yield return (item[..at], version, item[(colon + 1)..]);
        }
    }
}
