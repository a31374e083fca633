using System.Text;
using static Automation.Bench.Report;

namespace Automation.Bench;

/// <summary>The journey figures of one run, printed as Markdown.</summary>
internal sealed record JourneyReport(JourneyResult Result, int Concurrency, int Parallelism, Machine Machine, Memory Memory)
{
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        var r = Result;
        Line(s, $"## Journeys benchmark: {r.Customers} customers, the three shipped journeys");
        Line(s, "");
        Line(s, $"{Machine.Describe()}. Webhook concurrency {Concurrency}, drain parallelism {Parallelism}. " +
            $"Load average {Machine.LoadAtStart} at start, {Machine.LoadAtEnd} at end.");
        Line(s, "");

        Line(s, "| journey decision, 3 active instances | decisions/s | µs/decision | bytes allocated/decision |");
        Line(s, "| --- | ---: | ---: | ---: |");
        foreach (var x in r.Engine)
            Line(s, $"| {x.Case} | {F(x.PerSecond, 0)} | {F(x.MicrosecondsEach, 2)} | {F(x.BytesPerDecision, 0)} |");
        Line(s, "");

        var wakes = r.Phases.Where(p => p.Kind == PhaseKind.WakeUps).ToList();
        var checks = r.Phases.Where(p => p.Kind == PhaseKind.OutboxChecks).ToList();
        var chores = r.Phases.Where(p => p.Kind == PhaseKind.Housekeeping).ToList();
        var rows = r.Phases.Where(p => p.Kind == PhaseKind.Storefront).Select(p => (Label: $"{p.Name} ({p.Detail})", Phase: p)).ToList();
        rows.AddRange(wakes.Select(p => (Label: $"day {F(p.At.TotalDays, 2)}: {p.Name}", Phase: p)));
        if (wakes.Count > 0) rows.Add(("**all wake-up phases**", Total("wake-ups", PhaseKind.WakeUps, wakes)));
        if (checks.Count > 0) rows.Add(($"outbox checks ({checks.Count} phases)", Total("outbox checks", PhaseKind.OutboxChecks, checks)));
        rows.AddRange(chores.Select(p => (Label: $"day {F(p.At.TotalDays, 2)}: housekeeping (processed-event markers over 8 days old deleted)", Phase: p)));

        Line(s, "Per unit: a storefront event, a wake-up (with the result events and dispatches it causes), an outbox check, or a housekeeping timer. " +
            "Reads are point reads; queries count pages; writes are single-row upserts, updates and deletes; tx are entity group transactions.");
        Line(s, "");
        Line(s, "| phase | units | events applied | stale | coupons | emails | s | units/s | events/s | reads | queries | tx | writes | of which timer upserts | queue ops | all ops | lost races | Azurite CPU | bench CPU |");
        Line(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (label, p) in rows)
        {
            var o = p.Storage;
            Line(s, $"| {label} | {p.Units} | {p.Events} | {p.Stale} | {p.Coupons} | {p.Emails} | {F(p.Elapsed.TotalSeconds, 1)} | {F(p.Units / p.Elapsed.TotalSeconds, 0)} | " +
                $"{F(p.Events / p.Elapsed.TotalSeconds, 0)} | {F(p.Per(o.PointReads), 2)} | {F(p.Per(o.Queries), 2)} | {F(p.Per(o.Transactions), 2)} | {F(p.Per(o.PointWrites), 2)} | " +
                $"{F(p.Per(o.Requests("TableClient.UpsertEntity timers")), 2)} | {F(p.Per(o.QueueOps), 2)} | {F(p.Per(o.All), 2)} | {p.Conflicts} | {Cpu(p.Cpu)} |");
        }
        Line(s, "");

        var all = r.Phases.Select(p => p.Storage).ToList();
        var emails = r.Phases.Sum(p => p.Emails);
        var actions = r.Phases.Sum(p => p.Actions);
        var timerRows = all.Sum(o => o.Requests("TableClient.UpsertEntity timers"));
        var sending = all.Sum(o => o.Requests("TableClient.UpdateEntity customers"));
        Line(s, "| whole run | count | per customer | per email |");
        Line(s, "| --- | ---: | ---: | ---: |");
        Line(s, $"| emails sent | {emails} | {F((double)emails / r.Customers, 2)} | |");
        Line(s, $"| outbox rows (one per action: coupon, email) | {actions} | {F((double)actions / r.Customers, 2)} | {F((double)actions / emails, 2)} |");
        Line(s, $"| outbox rows marked `sending` (UpdateEntity) | {sending} | {F((double)sending / r.Customers, 2)} | {F((double)sending / emails, 2)} |");
        var checkRows = checks.Sum(p => p.TimersSwept);
        var choreRows = chores.Sum(p => p.TimersSwept);
        Line(s, $"| timer rows written (upserts) | {timerRows} | {F((double)timerRows / r.Customers, 2)} | |");
        Line(s, $"| of which outbox checks (swept, nothing left to dispatch) | {checkRows} | {F((double)checkRows / r.Customers, 2)} | {F((double)checkRows / emails, 2)} |");
        Line(s, $"| of which housekeeping (swept by day 38) | {choreRows} | {F((double)choreRows / r.Customers, 2)} | |");
        Line(s, $"| storage operations, all phases | {all.Sum(o => o.All)} | {F((double)all.Sum(o => o.All) / r.Customers, 1)} | |");
        Line(s, "");

        WriteCalls(s, r.Phases, wakes, checks, chores);
        WriteState(s, r.Snapshots);
        Line(s, "| memory | MiB |");
        Line(s, "| --- | ---: |");
        Line(s, $"| bench process peak working set (whole run) | {Mib(Memory.BenchPeakWorkingSet)} |");
        Line(s, $"| Azurite (node) peak resident set | {(Memory.AzuritePeakResident is { } a ? Mib(a) : "n/a")} |");
        Line(s, $"| Azurite data folder at the end | {Mib(Memory.AzuriteDiskBytes)} |");
        return s.ToString();
    }

    /// <summary>Storage requests by client call and table or queue, per unit of each storefront phase, of all wake-ups and of all outbox checks.</summary>
    private static void WriteCalls(StringBuilder s, IReadOnlyList<JourneyPhase> phases, List<JourneyPhase> wakes, List<JourneyPhase> checks, List<JourneyPhase> chores)
    {
        var columns = phases.Where(p => p.Kind == PhaseKind.Storefront).ToList();
        if (wakes.Count > 0) columns.Add(Total("per wake-up", PhaseKind.WakeUps, wakes));
        if (checks.Count > 0) columns.Add(Total("per outbox check", PhaseKind.OutboxChecks, checks));
        if (chores.Count > 0) columns.Add(Total("per housekeeping timer", PhaseKind.Housekeeping, chores));
        Line(s, "| request (client call, table or queue) | " + string.Join(" | ", columns.Select(c => c.Name)) + " |");
        Line(s, "| --- |" + string.Concat(columns.Select(_ => " ---: |")));
        foreach (var call in columns.SelectMany(c => c.Storage.ByTarget.Keys).Distinct().Order(StringComparer.Ordinal))
            Line(s, $"| `{call}` | " + string.Join(" | ", columns.Select(c => F(c.Per(c.Storage.Requests(call)), 3))) + " |");
        Line(s, "");
    }

    private static void WriteState(StringBuilder s, IReadOnlyList<StateSnapshot> snapshots)
    {
        Line(s, "| journey state (profile row `Jrn`) | active instances | customers | stored instances | `Jrn` bytes/customer | of which ended instances | bytes/stored instance | bytes/active instance | max `Jrn` bytes | `Doc` bytes/customer |");
        Line(s, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var snap in snapshots)
            foreach (var g in snap.Groups)
                Line(s, $"| {snap.Name} | {g.Active} | {g.Customers} | {F(g.StoredInstances, 2)} | {F(g.JrnBytes, 0)} | {F(g.EndedBytes, 0)} | {F(g.BytesPerStoredInstance, 0)} | " +
                    $"{F(g.BytesPerActiveInstance, 0)} | {F(g.MaxJrnBytes, 0)} | {F(g.DocBytes, 0)} |");
        Line(s, "");
        Line(s, "| managed heap, 1,000 customers' deserialized JourneyStates | active instances | stored instances | heap KiB | KiB per 1,000 active instances | bytes per stored instance |");
        Line(s, "| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var snap in snapshots)
            Line(s, $"| {snap.Name} | {F(snap.ActivePerThousandCustomers, 0)} | {F(snap.StoredPerThousandCustomers, 0)} | {F(snap.HeapPerThousandCustomers / 1024.0, 0)} | " +
                $"{F(snap.HeapPerThousandActive / 1024.0, 0)} | {F((double)snap.HeapPerThousandCustomers / snap.StoredPerThousandCustomers, 0)} |");
        Line(s, "");
    }

    /// <summary>Phases added up into one.</summary>
    private static JourneyPhase Total(string name, PhaseKind kind, List<JourneyPhase> phases)
    {
        var storage = phases.Select(p => p.Storage).ToList();
        var elapsed = TimeSpan.FromTicks(phases.Sum(p => p.Elapsed.Ticks));
        var cpu = new CpuUse(phases.Sum(p => p.Cpu.AzuritePercent * p.Elapsed.TotalSeconds) / elapsed.TotalSeconds,
            phases.Sum(p => p.Cpu.BenchPercent * p.Elapsed.TotalSeconds) / elapsed.TotalSeconds);
        return new JourneyPhase(name, null, kind, TimeSpan.Zero, phases.Sum(p => p.Units), phases.Sum(p => p.Events), phases.Sum(p => p.WakeUps),
            phases.Sum(p => p.Stale), phases.Sum(p => p.Coupons), phases.Sum(p => p.Emails), phases.Sum(p => p.Actions), phases.Sum(p => p.TimersSwept),
            elapsed, new StorageOps(storage.Sum(o => o.TableReads), storage.Sum(o => o.TableWrites), storage.Sum(o => o.QueueOps),
                Merge(storage.Select(o => o.Calls)), Merge(storage.Select(o => o.ByTarget))),
            cpu, phases.Sum(p => p.Conflicts));
    }

    private static Dictionary<string, long> Merge(IEnumerable<IReadOnlyDictionary<string, long>> counts)
    {
        var sum = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var c in counts)
            foreach (var (k, v) in c) sum[k] = sum.GetValueOrDefault(k) + v;
        return sum;
    }
}
