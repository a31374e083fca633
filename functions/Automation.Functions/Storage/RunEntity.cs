using System.Globalization;
using System.Text.Json;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>
/// A history row for one ended journey run (<c>run|{journey}|{run:D6}</c>) in the customer's
/// partition: the run as it ended (steps, reasons, conversion), kept after a later run replaces it
/// in the profile row. Plain columns let reports filter conversions without parsing documents.
/// </summary>
internal static class RunEntity
{
    public const string Prefix = "run|";

    public static TableEntity ToEntity(string partitionKey, JourneyInstance run)
    {
        var e = new TableEntity(partitionKey, $"{Prefix}{run.JourneyId}|{run.Run.ToString("D6", CultureInfo.InvariantCulture)}")
        {
            ["Journey"] = run.JourneyId,
            ["Version"] = run.Version,
            ["Status"] = run.Status,
            ["StartedAt"] = run.StartedAt,
            ["EndedAt"] = run.EndedAt,
            ["Group"] = run.Group,
            ["Goal"] = run.Conversion?.Goal,
            ["Revenue"] = run.Conversion?.Revenue?.ToString(CultureInfo.InvariantCulture),
            ["Coupon"] = run.Conversion?.Coupon,
        };
        JsonColumns.Write(e, "Doc", JsonSerializer.Serialize(run, JsonColumns.Options));
        return e;
    }
}
