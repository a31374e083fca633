using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Automation.Core.Audience;
using Azure;
using Azure.Data.Tables;

namespace Automation.Functions.Storage;

/// <summary>Narrows a scan on the server, where it saves reads: pages of customers a broadcast would skip are never sent.</summary>
/// <param name="CanEmailMarketing">Only customers the send policy would mail marketing to (true), or only those it would not (false).</param>
/// <param name="MinOrders">Only customers with at least this many orders (a tier other than prospect needs one).</param>
public sealed record AudienceFilter(bool? CanEmailMarketing = null, int MinOrders = 0)
{
    /// <summary>Customers who may get marketing email and have bought: every tier a holiday push addresses.</summary>
    public static readonly AudienceFilter MarketableBuyers = new(true, 1);

    internal string? OData()
    {
        var clauses = new List<string>();
        // Column names go in as they are: CreateQueryFilter would quote them as string values.
        if (CanEmailMarketing is { } flag) clauses.Add($"{AudienceIndex.MarketingColumn} eq {(flag ? "true" : "false")}");
        if (MinOrders > 0) clauses.Add(string.Create(CultureInfo.InvariantCulture, $"{AudienceIndex.OrderCountColumn} ge {MinOrders}"));
        return clauses.Count == 0 ? null : string.Join(" and ", clauses);
    }
}

/// <summary>
/// The <c>audience</c> table: one narrow row per customer (<see cref="AudienceEntry"/>), so a broadcast
/// enumerates a store without reading the <c>customers</c> table. Partition <c>{storeId}|{shard:D2}</c>,
/// row key the customer key (already safe for a key: the <c>customers</c> table's partition keys contain it).
/// <para>
/// <b>Shards.</b> <see cref="Shards"/> = 32 partitions per store, chosen by a hash of the customer key. One
/// partition serves about 2,000 entities/s (Azure's target), so a store of a million customers in one
/// partition would take over eight minutes to read and would take every index write of a busy store; 32
/// partitions read side by side (about 31,000 rows, 32 pages each, at a million) and spread the writes,
/// while a small store pays only 32 near-empty queries per full scan. The hash is SHA-256 of the key, not
/// <see cref="string.GetHashCode()"/>, which .NET randomises per process: the shard of a customer must be
/// the same in every process, on every machine, forever. Changing <see cref="Shards"/> moves most
/// customers to another partition, where the consumer would write new rows beside the old ones: it needs
/// an empty table (or a new name) and a rebuild (<c>POST /api/audience/{storeId}/rebuild</c>).
/// </para>
/// <para>
/// Columns are typed where a filter or a reader uses them; <c>RecentOrders</c> (space-separated UTC times)
/// and <c>TopCategories</c> (a JSON array: category names are free text, so no separator is safe) are small
/// strings no query filters on. Persisted names never change.
/// </para>
/// </summary>
public sealed class AudienceIndex(StorageClients clients)
{
    public const int Shards = 32;

    /// <summary>The service's largest page.</summary>
    public const int MaxPage = 1000;

    internal const string MarketingColumn = "CanEmailMarketing", OrderCountColumn = "OrderCount";
    private const string SpentColumn = "TotalSpent", CurrencyColumn = "Currency", FirstColumn = "FirstOrderAt", LastColumn = "LastOrderAt",
        RecentColumn = "RecentOrders", ZoneColumn = "TimeZone", LocaleColumn = "Locale", CountryColumn = "Country", CategoriesColumn = "TopCategories";

    private static readonly string[] Columns =
    [
        "PartitionKey", "RowKey", MarketingColumn, OrderCountColumn, SpentColumn, CurrencyColumn, FirstColumn, LastColumn,
        RecentColumn, ZoneColumn, LocaleColumn, CountryColumn, CategoriesColumn,
    ];

    private readonly TableClient _table = clients.Table(StorageClients.AudienceTable);

    /// <summary>The shards to scan for a store: the same <see cref="Shards"/> for every store today; asking per store leaves room to size them per store.</summary>
    public static IReadOnlyList<int> ShardsOf(string storeId) => [.. Enumerable.Range(0, Shards)];

    public static int ShardOf(string customerKey) =>
        (int)(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(customerKey))) % Shards);

    public static string Partition(string storeId, int shard) => storeId + "|" + shard.ToString("D2", CultureInfo.InvariantCulture);

    public Task UpsertAsync(AudienceEntry entry, CancellationToken ct) => _table.UpsertEntityAsync(ToRow(entry), TableUpdateMode.Replace, ct);

    /// <summary>Upserts entries of one shard, 100 to an entity group transaction (the rebuild's writes).</summary>
    public async Task UpsertAsync(IReadOnlyCollection<AudienceEntry> sameShard, CancellationToken ct)
    {
        foreach (var chunk in sameShard.Chunk(100))
            await _table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToRow(e))), ct);
    }

    /// <summary>
    /// Inserts entries of one shard, 100 to an entity group transaction, into an index that holds none of them yet (a row
    /// that exists fails its whole transaction): for filling an empty index in bulk (the broadcast bench's seeding). The
    /// same requests as <see cref="UpsertAsync(IReadOnlyCollection{AudienceEntry}, CancellationToken)"/> in Azure; on
    /// Azurite an upsert looks its row up twice and an insert once, and each lookup compares every row of the shard.
    /// </summary>
    public async Task InsertAsync(IReadOnlyCollection<AudienceEntry> sameShard, CancellationToken ct)
    {
        foreach (var chunk in sameShard.Chunk(100))
            await _table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, ToRow(e))), ct);
    }

    /// <summary>Idempotent: a row that is not there is not an error.</summary>
    public async Task DeleteAsync(string storeId, string customerKey, CancellationToken ct)
    {
        try
        {
            await _table.DeleteEntityAsync(Partition(storeId, ShardOf(customerKey)), customerKey, ETag.All, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    /// <summary>Every shard of the store (Shopify's <c>shop/redact</c>): its partitions are one key range.</summary>
    public Task DeleteStoreAsync(string storeId, CancellationToken ct) => _table.DeleteStoreAsync(storeId, keep: null, ct);

    /// <summary>
    /// The entries of one shard, streamed a page at a time (<paramref name="pageSize"/> rows, at most
    /// <see cref="MaxPage"/>): the next page is requested only when the caller has taken the last row of
    /// this one, so a scan holds one page, never the audience. In row key order.
    /// </summary>
    public async IAsyncEnumerable<AudienceEntry> ScanAsync(string storeId, int shard, AudienceFilter? filter = null,
        [EnumeratorCancellation] CancellationToken ct = default, int pageSize = MaxPage)
    {
        var query = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(storeId, shard)}");
        if (filter?.OData() is { } narrower) query += " and " + narrower;
        await foreach (var row in _table.QueryAsync<TableEntity>(query, Math.Clamp(pageSize, 1, MaxPage), Columns, ct))
            yield return FromRow(storeId, row);
    }

    /// <summary>Customers and marketable customers in one shard, reading only those two columns.</summary>
    public async Task<(int Customers, int Marketable)> CountAsync(string storeId, int shard, CancellationToken ct)
    {
        var (customers, marketable) = (0, 0);
        var rows = _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(storeId, shard)}"), MaxPage,
            ["RowKey", MarketingColumn], ct);
        await foreach (var row in rows)
        {
            customers++;
            if (row.GetBoolean(MarketingColumn) == true) marketable++;
        }
        return (customers, marketable);
    }

    private static TableEntity ToRow(AudienceEntry e) => new(Partition(e.StoreId, ShardOf(e.CustomerKey)), e.CustomerKey)
    {
        [MarketingColumn] = e.CanEmailMarketing,
        [OrderCountColumn] = e.OrderCount,
        [SpentColumn] = e.TotalSpent.ToString(CultureInfo.InvariantCulture),
        [CurrencyColumn] = e.Currency,
        [FirstColumn] = e.FirstOrderAt,
        [LastColumn] = e.LastOrderAt,
        [RecentColumn] = string.Join(' ', e.RecentOrders.Select(t => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))),
        [ZoneColumn] = e.TimeZone,
        [LocaleColumn] = e.Locale,
        [CountryColumn] = e.Country,
        [CategoriesColumn] = e.TopCategories.Count == 0 ? null : JsonSerializer.Serialize(e.TopCategories),
    };

    private static AudienceEntry FromRow(string storeId, TableEntity row) => new(
        storeId,
        row.RowKey,
        row.GetBoolean(MarketingColumn) ?? false,
        row.GetInt32(OrderCountColumn) ?? 0,
        decimal.TryParse(row.GetString(SpentColumn), NumberStyles.Number, CultureInfo.InvariantCulture, out var spent) ? spent : 0m,
        row.GetString(CurrencyColumn),
        row.GetDateTimeOffset(FirstColumn),
        row.GetDateTimeOffset(LastColumn),
        [.. (row.GetString(RecentColumn) ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal))],
        row.GetString(ZoneColumn),
        row.GetString(LocaleColumn),
        row.GetString(CountryColumn),
        row.GetString(CategoriesColumn) is { Length: > 0 } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : []);
}
