using Automation.Core.Holidays;
using Automation.Functions.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Holidays;

/// <summary>A store's own calendar for one market, as saved.</summary>
/// <param name="Version">1 for the first save after the shipped default, one more at each save.</param>
public sealed record SavedCalendar(MarketCalendar Calendar, string Json, int Version, DateTimeOffset SavedAt, ETag RowETag);

/// <summary>
/// The <c>holidays</c> table: partition = store id, row key = market code, one row per market the store has edited,
/// holding the whole calendar document (<c>Calendar</c>, split over columns past 30K characters), its version and
/// when it was saved. Markets the store has not edited have no row and use the shipped default.
/// </summary>
public sealed class HolidayTable(StorageClients clients)
{
    private const string CalendarColumn = "Calendar";

    private readonly TableClient _table = clients.Table(StorageClients.HolidaysTable);

    public async Task<IReadOnlyDictionary<string, SavedCalendar>> ListAsync(string storeId, CancellationToken ct)
    {
        var saved = new Dictionary<string, SavedCalendar>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {storeId}"), cancellationToken: ct))
            saved[row.RowKey] = FromEntity(row);
        return saved;
    }

    public async Task<SavedCalendar?> GetAsync(string storeId, string market, CancellationToken ct)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(storeId, market, cancellationToken: ct);
        return row.HasValue && row.Value is { } e ? FromEntity(e) : null;
    }

    /// <summary>Writes the calendar if the row is still as read (<paramref name="readETag"/>; null: there was none); false when it is not.</summary>
    public async Task<bool> TryWriteAsync(string storeId, string market, string json, int version, DateTimeOffset at, ETag? readETag, CancellationToken ct)
    {
        var entity = new TableEntity(storeId, market) { ["Version"] = version, ["SavedAt"] = at };
        JsonColumns.Write(entity, CalendarColumn, json);
        try
        {
            if (readETag is { } etag) await _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct);
            else await _table.AddEntityAsync(entity, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Deletes the row if it is still as read; false when it changed meanwhile. A row already gone counts as deleted.</summary>
    public async Task<bool> TryDeleteAsync(string storeId, string market, ETag readETag, CancellationToken ct)
    {
        try
        {
            await _table.DeleteEntityAsync(storeId, market, readETag, ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    private static SavedCalendar FromEntity(TableEntity e)
    {
        var json = JsonColumns.Read(e, CalendarColumn) ?? "";
        // Only documents the reader accepted are written, so one that no longer reads is a bug to hear about, not to hide.
        var read = CalendarReader.Read(json);
        if (!read.IsValid)
            throw new InvalidOperationException($"The saved {e.RowKey} calendar of store '{e.PartitionKey}' no longer reads: {string.Join("; ", read.Problems.Take(3))}");
        return new SavedCalendar(read.Calendar!, json, e.GetInt32("Version") ?? 1, e.GetDateTimeOffset("SavedAt") ?? e.Timestamp ?? default, e.ETag);
    }
}
