using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Automation.Core.Events;
using Automation.Core.Journeys.Definitions;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Journeys;

public sealed record JourneyRecord(string Id, string Status, int Version, JourneyDefinition? Draft, DateTimeOffset? DraftSavedAt, IReadOnlyList<JourneyVersion> Versions)
{
    public const string DraftStatus = "draft";

    public JourneyDefinition? Current => Versions.FirstOrDefault(v => v.Version == Version)?.Definition;
}

public sealed record JourneyVersion(int Version, JourneyDefinition Definition, DateTimeOffset PublishedAt, MigrationPolicy Migration);

public enum PublishOutcome { Published, NothingToPublish, NotFound, Conflict }

/// <summary>
/// The <c>journeys</c> table: one partition per journey, a <c>head</c> row (status, current
/// version, the unpublished draft) and one immutable row per published version
/// (<c>v000001</c>, …). Publishing writes the version row and the head in one transaction under
/// the head's ETag, so two publishers cannot both make version 3. The engine reads the published
/// versions through <see cref="LibraryAsync"/>, cached for <see cref="CacheFor"/>.
/// </summary>
public sealed class JourneyStore(StorageClients clients, JourneyCatalog catalog, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private const string HeadRow = "head";

    private readonly TableClient _table = clients.Table(StorageClients.JourneysTable);
    private (JourneyLibrary Library, DateTimeOffset At)? _cache;
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public JourneyCatalog Catalog => catalog;

    /// <summary>Published journeys for the engine; a publish in this process is seen at once, elsewhere within <see cref="CacheFor"/>.</summary>
    public async Task<JourneyLibrary> LibraryAsync(CancellationToken ct)
    {
        if (Fresh() is { } cached) return cached;
        // One refresh at a time: the events in flight when the cache expires wait for it rather than each reading the table.
        await _refresh.WaitAsync(ct);
        try
        {
            return Fresh() ?? await LoadAsync(ct);
        }
        finally
        {
            _refresh.Release();
        }
    }

    private JourneyLibrary? Fresh()
    {
        var now = time.GetUtcNow();
        return _cache is { } c && now - c.At < CacheFor && now >= c.At ? c.Library : null;
    }

    private async Task<JourneyLibrary> LoadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var published = (await ListAsync(ct))
            .Where(r => r.Version > 0)
            .Select(r => new PublishedJourney
            {
                Id = r.Id,
                Status = r.Status == PublishedJourney.Paused ? PublishedJourney.Paused : PublishedJourney.Active,
                Version = r.Version,
                Versions = r.Versions.ToImmutableSortedDictionary(v => v.Version, v => v.Definition),
                Migrations = r.Versions.ToImmutableSortedDictionary(v => v.Version, v => v.Migration),
            });
        var library = new JourneyLibrary(published, catalog);
        _cache = (library, now);
        return library;
    }

    public void Invalidate() => _cache = null;

    public async Task<IReadOnlyList<JourneyRecord>> ListAsync(CancellationToken ct)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(cancellationToken: ct)) rows.Add(row);
        return [.. rows.GroupBy(r => r.PartitionKey).Select(g => ToRecord(g.ToList())).OfType<JourneyRecord>().OrderBy(r => r.Id, StringComparer.Ordinal)];
    }

    public async Task<JourneyRecord?> GetAsync(string id, CancellationToken ct) => ToRecord(await RowsAsync(id, ct));

    public async Task<JourneyRecord> SaveDraftAsync(JourneyDefinition definition, CancellationToken ct)
    {
        var head = await HeadAsync(definition.Id, ct);
        var row = head ?? new TableEntity(definition.Id, HeadRow) { ["Status"] = JourneyRecord.DraftStatus, ["Version"] = 0 };
        var json = JsonSerializer.Serialize(definition, JourneyReader.JsonOptions);
        RemoveColumns(row, "Draft");
        row.Remove("DraftSavedAt");
        // Saving what is already published discards the draft rather than keeping one that cannot be published.
        var current = head is null ? null : (await GetAsync(definition.Id, ct))?.Current;
        if (current is null || JsonSerializer.Serialize(current, JourneyReader.JsonOptions) != json)
        {
            JsonColumns.Write(row, "Draft", json);
            row["DraftSavedAt"] = time.GetUtcNow();
        }
        row["Name"] = definition.Name;
        row["UpdatedAt"] = time.GetUtcNow();
        if (head is null) await _table.AddEntityAsync(row, ct);
        else await _table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace, ct);
        return (await GetAsync(definition.Id, ct))!;
    }

    /// <summary>Makes the draft the next immutable version and the current one.</summary>
    public async Task<PublishOutcome> PublishAsync(string id, MigrationPolicy policy, CancellationToken ct)
    {
        var head = await HeadAsync(id, ct);
        if (head is null) return PublishOutcome.NotFound;
        if (JsonColumns.Read(head, "Draft") is not { } draft) return PublishOutcome.NothingToPublish;
        var version = (head.GetInt32("Version") ?? 0) + 1;
        var now = time.GetUtcNow();
        var versionRow = new TableEntity(id, VersionRow(version))
        {
            ["PublishedAt"] = now,
            ["InFlight"] = policy.InFlight,
            ["MissingStep"] = policy.MissingStep,
        };
        JsonColumns.Write(versionRow, "Doc", draft);
        RemoveColumns(head, "Draft");
        head.Remove("DraftSavedAt");
        head["Version"] = version;
        if (head.GetString("Status") is JourneyRecord.DraftStatus or null) head["Status"] = PublishedJourney.Active;
        head["UpdatedAt"] = now;
        try
        {
            await _table.SubmitTransactionAsync(
                [new(TableTransactionActionType.UpdateReplace, head, head.ETag), new(TableTransactionActionType.Add, versionRow)], ct);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return PublishOutcome.Conflict;
        }
        Invalidate();
        return PublishOutcome.Published;
    }

    /// <summary>Pauses or resumes a published journey; null when it does not exist or was never published.</summary>
    public async Task<JourneyRecord?> SetStatusAsync(string id, string status, CancellationToken ct)
    {
        var head = await HeadAsync(id, ct);
        if (head is null || (head.GetInt32("Version") ?? 0) == 0) return null;
        head["Status"] = status;
        head["UpdatedAt"] = time.GetUtcNow();
        await _table.UpdateEntityAsync(head, ETag.All, TableUpdateMode.Replace, ct);
        Invalidate();
        return await GetAsync(id, ct);
    }

    /// <summary>Installs a shipped journey as version 1, active, unless the journey exists already.</summary>
    public async Task<bool> InstallAsync(JourneyDefinition definition, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var head = new TableEntity(definition.Id, HeadRow)
        {
            ["Status"] = PublishedJourney.Active, ["Version"] = 1, ["Name"] = definition.Name, ["UpdatedAt"] = now,
        };
        var version = new TableEntity(definition.Id, VersionRow(1))
        {
            ["PublishedAt"] = now, ["InFlight"] = MigrationPolicy.Finish, ["MissingStep"] = MigrationPolicy.Stay,
        };
        JsonColumns.Write(version, "Doc", JsonSerializer.Serialize(definition, JourneyReader.JsonOptions));
        try
        {
            await _table.SubmitTransactionAsync([new(TableTransactionActionType.Add, head), new(TableTransactionActionType.Add, version)], ct);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
        Invalidate();
        return true;
    }

    private async Task<TableEntity?> HeadAsync(string id, CancellationToken ct)
    {
        var head = await _table.GetEntityIfExistsAsync<TableEntity>(id, HeadRow, cancellationToken: ct);
        return head.HasValue ? head.Value : null;
    }

    private async Task<List<TableEntity>> RowsAsync(string id, CancellationToken ct)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in _table.QueryAsync<TableEntity>(x => x.PartitionKey == id, cancellationToken: ct)) rows.Add(row);
        return rows;
    }

    private static JourneyRecord? ToRecord(List<TableEntity> rows)
    {
        var head = rows.FirstOrDefault(r => r.RowKey == HeadRow);
        if (head is null) return null;
        var versions = rows.Where(r => r.RowKey.StartsWith('v')).Select(r => new JourneyVersion(
                int.Parse(r.RowKey.AsSpan(1), CultureInfo.InvariantCulture),
                Deserialize(JsonColumns.Read(r, "Doc"))!,
                r.GetDateTimeOffset("PublishedAt") ?? default,
                new MigrationPolicy(r.GetString("InFlight") ?? MigrationPolicy.Finish, r.GetString("MissingStep") ?? MigrationPolicy.Stay)))
            .OrderBy(v => v.Version).ToList();
        return new JourneyRecord(head.PartitionKey, head.GetString("Status") ?? JourneyRecord.DraftStatus, head.GetInt32("Version") ?? 0,
            Deserialize(JsonColumns.Read(head, "Draft")), head.GetDateTimeOffset("DraftSavedAt"), versions);
    }

    private static JourneyDefinition? Deserialize(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<JourneyDefinition>(json, JourneyReader.JsonOptions);

    private static string VersionRow(int version) => "v" + version.ToString("D6", CultureInfo.InvariantCulture);

    private static void RemoveColumns(TableEntity row, string name)
    {
        row.Remove(name);
        for (var i = 1; row.ContainsKey(name + i); i++) row.Remove(name + i);
    }
}
