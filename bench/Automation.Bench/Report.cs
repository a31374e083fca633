using System.Globalization;
using System.Text;

namespace Automation.Bench;

internal sealed record Machine(int Cores, string Cpu, string Runtime, string Os, string Azurite, string Gc, string LoadAtStart, string LoadAtEnd,
    string AzuriteData = "data on disk")
{
    public string Describe() => $"{Cores} cores ({Cpu}), {Os}, {Runtime} ({Gc} GC), Azurite {Azurite} ({AzuriteData})";
}

internal sealed record Memory(long BenchPeakWorkingSet, long? AzuritePeakResident, long AzuriteDiskBytes);

/// <summary>Everything one run measured, printed as Markdown.</summary>
internal sealed record Report(
    int Events, int Customers, int Concurrency, int Parallelism, Machine Machine,
    IReadOnlyList<WebhookResult> Webhooks, DrainResult Mixed, DrainResult Repeat,
    IReadOnlyList<DecisionResult> Reducer, Memory Memory)
{
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        Line(s, $"## Ingestion benchmark: {Events} events, {Customers} customers");
        Line(s, "");
        Line(s, $"{Machine.Describe()}. " +
            $"Webhook concurrency {Concurrency}, drain parallelism {Parallelism}. Load average {Machine.LoadAtStart} at start, {Machine.LoadAtEnd} at end.");
        Line(s, "");
        Line(s, "| webhook → queue | deliveries | s | deliveries/s | p50 ms | p95 ms | p99 ms | max ms | queue ops/delivery | table ops/delivery | Azurite CPU | bench CPU |");
        Line(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var w in Webhooks)
            Line(s, $"| {w.Name} | {w.Deliveries} | {F(w.Elapsed.TotalSeconds, 1)} | {F(w.Deliveries / w.Elapsed.TotalSeconds, 0)} | {F(w.P50, 1)} | {F(w.P95, 1)} | {F(w.P99, 1)} | {F(w.Max, 1)} | " +
                $"{F((double)w.Storage.QueueOps / w.Deliveries, 2)} | {F((double)(w.Storage.TableReads + w.Storage.TableWrites) / w.Deliveries, 2)} | {Cpu(w.Cpu)} |");
        Line(s, "");

        var newEvents = Customers;
        var repeatShare = (double)(Mixed.Events - newEvents) / Repeat.Events;
        double NewCustomer(long mixed, long repeat) => (mixed - repeatShare * repeat) / newEvents;
        Line(s, "| queue → profile | events | s | events/s | table reads/event | table writes/event | queue ops/event | all ops/event | lost races | Azurite CPU | bench CPU |");
        Line(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var d in new[] { Mixed, Repeat })
        {
            var o = d.Storage;
            Line(s, $"| {d.Name} | {d.Events} | {F(d.Elapsed.TotalSeconds, 1)} | {F(d.Events / d.Elapsed.TotalSeconds, 0)} | {Per(o.TableReads, d.Events)} | {Per(o.TableWrites, d.Events)} | " +
                $"{Per(o.QueueOps, d.Events)} | {Per(o.TableReads + o.TableWrites + o.QueueOps, d.Events)} | {d.Conflicts} | {Cpu(d.Cpu)} |");
        }
        var (m, r) = (Mixed.Storage, Repeat.Storage);
        Line(s, $"| new customer (derived) | {newEvents} | | | {F(NewCustomer(m.TableReads, r.TableReads), 2)} | {F(NewCustomer(m.TableWrites, r.TableWrites), 2)} | " +
            $"{F(NewCustomer(m.QueueOps, r.QueueOps), 2)} | {F(NewCustomer(m.TableReads + m.TableWrites + m.QueueOps, r.TableReads + r.TableWrites + r.QueueOps), 2)} | | | |");
        Line(s, "");

        Line(s, "| storage call (Azure SDK) | per event, first batch | per event, repeat | per new-customer event (derived) |");
        Line(s, "| --- | ---: | ---: | ---: |");
        foreach (var call in m.Calls.Keys.Union(r.Calls.Keys).Order(StringComparer.Ordinal))
        {
            var (mc, rc) = (m.Calls.GetValueOrDefault(call), r.Calls.GetValueOrDefault(call));
            Line(s, $"| `{call}` | {Per(mc, Mixed.Events)} | {Per(rc, Repeat.Events)} | {F(NewCustomer(mc, rc), 3)} |");
        }
        Line(s, "");

        Line(s, "| ProfileReducer.Apply, profile with 50 orders | decisions/s | µs/decision | bytes allocated/decision |");
        Line(s, "| --- | ---: | ---: | ---: |");
        foreach (var x in Reducer)
            Line(s, $"| {x.Case} | {F(x.PerSecond, 0)} | {F(x.MicrosecondsEach, 2)} | {F(x.BytesPerDecision, 0)} |");
        Line(s, "");

        Line(s, "| memory | MiB |");
        Line(s, "| --- | ---: |");
        Line(s, $"| bench process peak working set (app, Kestrel, HTTP client, reducer loop) | {Mib(Memory.BenchPeakWorkingSet)} |");
        Line(s, $"| Azurite (node) peak resident set | {(Memory.AzuritePeakResident is { } a ? Mib(a) : "n/a")} |");
        Line(s, $"| Azurite data folder at the end | {Mib(Memory.AzuriteDiskBytes)} |");
        return s.ToString();
    }

    internal static string Cpu(CpuUse c) => $"{F(c.AzuritePercent, 0)} % | {F(c.BenchPercent, 0)} %";

    private static string Per(long count, int events) => F((double)count / events, 3);

    internal static string Mib(long bytes) => F(bytes / 1048576.0, 0);

    internal static string F(double value, int decimals) => double.IsNaN(value) ? "" : value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    internal static void Line(StringBuilder s, string text) => s.Append(text).Append('\n');
}
