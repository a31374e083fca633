using System.Text;
using System.Text.Json;
using Automation.Core.Events;
using Automation.Core.Journeys.Engine;
using Automation.Functions.Storage;
using Azure.Data.Tables;

namespace Automation.Bench;

/// <summary>Journey state of the customers with <see cref="Active"/> active instances at one point of the run.</summary>
/// <param name="JrnBytes">Mean UTF-8 bytes of the profile row's <c>Jrn</c> JSON per customer (Table Storage counts strings as UTF-16: twice this for ASCII).</param>
/// <param name="EndedBytes">Of <paramref name="JrnBytes"/>, the ended instances' share (each instance serialized alone).</param>
/// <param name="DocBytes">Mean UTF-8 bytes of the profile's own <c>Doc</c> JSON, read in the same point read.</param>
internal sealed record StateGroup(int Active, int Customers, double StoredInstances, double JrnBytes, double EndedBytes, int MaxJrnBytes, double DocBytes)
{
    public double BytesPerStoredInstance => JrnBytes / StoredInstances;
    public double BytesPerActiveInstance => Active == 0 ? double.NaN : JrnBytes / Active;
}

/// <param name="HeapPerThousandCustomers">Managed heap held by 1,000 customers' deserialized <see cref="JourneyStates"/> (median of three measurements).</param>
/// <param name="ActivePerThousandCustomers">Active instances among those 1,000 customers.</param>
internal sealed record StateSnapshot(string Name, IReadOnlyList<StateGroup> Groups, long HeapPerThousandCustomers, long ActivePerThousandCustomers, long StoredPerThousandCustomers)
{
    public double HeapPerThousandActive => ActivePerThousandCustomers == 0 ? double.NaN : HeapPerThousandCustomers * 1000.0 / ActivePerThousandCustomers;
}

/// <summary>
/// Reads the measured customers' profile rows (a scan, outside any timed phase) and measures their
/// journey state two ways: (a) bytes of the persisted <c>Jrn</c> JSON as <c>ProfileEntity</c> wrote it
/// (<see cref="EventJson.Options"/>, via <c>JsonColumns.Options</c>); (b) managed heap held by
/// 1,000 customers' states once deserialized, from <see cref="GC.GetTotalMemory"/> before and after.
/// </summary>
internal static class StateMemory
{
    private const int HeldCustomers = 1000;

    public static async Task<StateSnapshot> TakeAsync(string name, BenchHost host, IReadOnlySet<string> partitions, CancellationToken ct)
    {
        var table = host.Get<StorageClients>().Table(StorageClients.CustomersTable);
        var rows = new List<(string Jrn, string Doc, JourneyStates States)>();
        await foreach (var row in table.QueryAsync<TableEntity>($"RowKey eq '{ProfileEntity.RowKey}'", cancellationToken: ct))
        {
            if (!partitions.Contains(row.PartitionKey)) continue;
            var jrn = JsonColumns.Read(row, "Jrn") ?? "";
            var doc = JsonColumns.Read(row, "Doc") ?? "";
            rows.Add((jrn, doc, Deserialize(jrn)));
        }
        if (rows.Count != partitions.Count)
            throw new InvalidOperationException($"{name}: found {rows.Count} of {partitions.Count} profile rows.");

        var groups = rows.GroupBy(r => r.States.Instances.Values.Count(i => i.IsActive)).OrderBy(g => g.Key).Select(g => new StateGroup(
            g.Key, g.Count(),
            g.Average(r => r.States.Instances.Count),
            g.Average(r => Encoding.UTF8.GetByteCount(r.Jrn)),
            g.Average(r => r.States.Instances.Values.Where(i => !i.IsActive).Sum(i => JsonSerializer.SerializeToUtf8Bytes(i, JsonColumns.Options).Length)),
            g.Max(r => Encoding.UTF8.GetByteCount(r.Jrn)),
            g.Average(r => Encoding.UTF8.GetByteCount(r.Doc)))).ToList();

        var texts = Enumerable.Range(0, HeldCustomers).Select(i => rows[i % rows.Count].Jrn).ToArray();
        var heap = new[] { Held(texts), Held(texts), Held(texts) }.Order().ElementAt(1);
        var active = Enumerable.Range(0, HeldCustomers).Sum(i => (long)rows[i % rows.Count].States.Instances.Values.Count(x => x.IsActive));
        var stored = Enumerable.Range(0, HeldCustomers).Sum(i => (long)rows[i % rows.Count].States.Instances.Count);
        return new StateSnapshot(name, groups, heap, active, stored);
    }

    /// <summary>Heap bytes held by one deserialized state per text (the texts themselves are held before and after).</summary>
    private static long Held(string[] texts)
    {
        var held = new JourneyStates[texts.Length];
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < texts.Length; i++) held[i] = Deserialize(texts[i]);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(held);
        return after - before;
    }

    private static JourneyStates Deserialize(string json) =>
        json.Length == 0 ? JourneyStates.Empty : JsonSerializer.Deserialize<JourneyStates>(json, JsonColumns.Options) ?? JourneyStates.Empty;
}
