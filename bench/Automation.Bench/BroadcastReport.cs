using System.Text;
using static Automation.Bench.Report;

namespace Automation.Bench;

/// <summary>The broadcast figures of one run, printed as Markdown: the generated store, its seeding, and the push.</summary>
internal sealed record BroadcastReport(BroadcastResult Result, Machine Machine, Memory Memory)
{
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        var r = Result;
        Line(s, $"## Broadcast benchmark: {r.Customers:N0} customers, one pre-holiday push");
        Line(s, "");
        Line(s, $"{Machine.Describe()}. Seeding with {r.SeedParallelism} requests in flight, push parallelism {r.Parallelism}. " +
            $"Load average {Machine.LoadAtStart} at start, {Machine.LoadAtEnd} at end.");
        Line(s, "");
        WriteStore(s, r.Tally);
        WriteSeeding(s, r);
        WritePush(s, r);
        // The phases reset the processes' own peaks (VmHWM) when they start: the whole run's is the largest of the three.
        var benchPeak = Math.Max(Memory.BenchPeakWorkingSet, Math.Max(r.SeedMemory.BenchPeak, r.PushMemory.BenchPeak));
        long? azuritePeak = Memory.AzuritePeakResident is { } end ? Math.Max(end, Math.Max(r.SeedMemory.AzuritePeak ?? 0, r.PushMemory.AzuritePeak ?? 0)) : null;
        Line(s, "| whole run, from the start of seeding | MiB |");
        Line(s, "| --- | ---: |");
        Line(s, $"| bench process peak working set | {Mib(benchPeak)} |");
        Line(s, $"| Azurite (node) peak resident set | {(azuritePeak is { } a ? Mib(a) : "n/a")} |");
        Line(s, $"| Azurite data folder at the end | {Mib(Memory.AzuriteDiskBytes)} |");
        return s.ToString();
    }

    private static void WriteStore(StringBuilder s, SeedTally t)
    {
        double Pc(long n) => 100.0 * n / t.Customers;
        Line(s, "| tier | customers | % | marketable (address, consent) | in the holiday push's tiers |");
        Line(s, "| --- | ---: | ---: | ---: | :---: |");
        foreach (var tier in SeedTally.TierOrder)
        {
            var (all, marketable) = t.Tiers.GetValueOrDefault(tier);
            Line(s, $"| {tier} | {all:N0} | {F(Pc(all), 1)} | {marketable:N0} | {(SeedTally.HolidayTiers.Contains(tier) ? "yes" : "")} |");
        }
        Line(s, "");
        Line(s, "| market | customers | % | marketable | time zones (customers) | locales |");
        Line(s, "| --- | ---: | ---: | ---: | --- | --- |");
        foreach (var m in BenchMarket.All)
        {
            var (all, marketable) = t.Markets.GetValueOrDefault(m.Country);
            var zones = string.Join(", ", m.Zones.Select(z => $"{z.Zone} {t.Zones.GetValueOrDefault(z.Zone):N0}"));
            var locales = string.Join(", ", m.Locales.Select(l => $"{l.Locale} {t.Locales.GetValueOrDefault(l.Locale):N0}"));
            Line(s, $"| {m.Country} | {all:N0} | {F(Pc(all), 1)} | {marketable:N0} | {zones} | {locales} |");
        }
        Line(s, "");
        var buyers = t.Customers - t.Tiers.GetValueOrDefault(Core.Profiles.LifecycleTier.Prospect).All;
        Line(s, "| store | count |");
        Line(s, "| --- | ---: |");
        Line(s, $"| consent | {string.Join(", ", t.Consent.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value:N0} ({F(Pc(c.Value), 1)} %)"))} |");
        Line(s, $"| customers without an email address (a profile row, no audience row) | {t.NoEmail:N0} |");
        Line(s, $"| orders (1 to 10 a buyer; {F((double)t.Orders / Math.Max(1, buyers), 2)} on average) | {t.Orders:N0} |");
        Line(s, $"| audience rows (an address), shards of {t.Shards.Min():N0} to {t.Shards.Max():N0} | {t.AudienceRows:N0} |");
        Line(s, $"| suppression list ({string.Join(", ", t.Suppressed.OrderByDescending(x => x.Value).Select(x => $"{x.Key} {x.Value:N0}"))}) | {t.SuppressedCount:N0} |");
        Line(s, $"| **holiday audience**: marketable, active, at risk or dormant | {t.HolidayAudience:N0} |");
        Line(s, $"| of which on the suppression list (the send policy must refuse them) | {t.HolidaySuppressed:N0} |");
        Line(s, $"| recipients to expect | {t.HolidayAudience - t.HolidaySuppressed:N0} |");
        Line(s, "");
    }

    private static void WriteSeeding(StringBuilder s, BroadcastResult r)
    {
        var (seed, o, m) = (r.Seed, r.SeedStorage, r.SeedMemory);
        var seconds = seed.Elapsed.TotalSeconds;
        Line(s, "Seeding is not part of the push: generated customers written straight into the tables, the way the app keeps them.");
        Line(s, "");
        Line(s, "| seeding | value |");
        Line(s, "| --- | ---: |");
        Line(s, $"| profile rows (single inserts, a partition each) | {seed.Profiles:N0} |");
        Line(s, $"| audience rows (in {seed.AudienceTransactions:N0} transactions of up to 100) | {seed.AudienceRows:N0} |");
        Line(s, $"| suppression list rows (a read and an insert each) | {seed.Suppressions:N0} |");
        Line(s, $"| wall time, s | {F(seconds, 1)} |");
        Line(s, $"| customers/s | {F(seed.Profiles / seconds, 0)} |");
        Line(s, $"| rows/s (profile and audience rows) | {F((seed.Profiles + seed.AudienceRows) / seconds, 0)} |");
        Line(s, $"| storage requests (reads, writes) | {o.All:N0} ({o.TableReads:N0}, {o.TableWrites:N0}) |");
        Line(s, $"| storage requests/s | {F(o.All / seconds, 0)} |");
        Line(s, $"| HTTP requests sent, retries included | {o.ByTarget.Values.Sum():N0} |");
        Line(s, $"| Azurite CPU, bench CPU (% of one core) | {Cpu(r.SeedCpu).Replace(" | ", ", ", StringComparison.Ordinal)} |");
        WriteMemory(s, m, "seeding");
        var scan = r.Scan;
        Line(s, $"| shard {scan.Shard} read back as a push reads it (marketable buyers): rows, pages, s | {scan.Rows:N0}, {scan.Queries:N0}, {F(scan.Elapsed.TotalSeconds, 1)} |");
        Line(s, "");
        Line(s, "| seeding's HTTP requests (client call, table), retries included | count |");
        Line(s, "| --- | ---: |");
        foreach (var (call, n) in o.ByTarget.OrderByDescending(x => x.Value))
            Line(s, $"| `{call}` | {n:N0} |");
        Line(s, "");
    }

    private static void WritePush(StringBuilder s, BroadcastResult r)
    {
        var (g, o, p) = (r.SendGrid, r.PushStorage, r.Push);
        if (p == PushOutcome.Nothing && g.Requests == 0)
        {
            Line(s, "**The push is still a placeholder (`TODO(broadcast)` in `BroadcastPush.cs`): its figures below are zeros.**");
            Line(s, "");
        }
        var recipients = g.Personalizations;
        string Per(long n, long units) => units == 0 ? "" : F((double)n / units, 3);
        Line(s, "| push | value |");
        Line(s, "| --- | ---: |");
        Line(s, $"| wall time, s | {F(r.PushElapsed.TotalSeconds, 1)} |");
        Line(s, $"| audience members entered (the push's count) | {p.AudienceEntered:N0} |");
        Line(s, $"| sent, refused, failed (the push's counts) | {p.Sent:N0}, {p.Refused:N0}, {p.Failed:N0} |");
        if (p.Refusals is { Count: > 0 } reasons)
            Line(s, $"| refused by reason | {string.Join(", ", reasons.OrderByDescending(x => x.Value).Select(x => $"{x.Key} {x.Value:N0}"))} |");
        Line(s, $"| SendGrid requests | {g.Requests:N0} |");
        Line(s, $"| recipients (personalizations received) | {recipients:N0} |");
        Line(s, $"| recipients per request | {Per(recipients, g.Requests)} |");
        Line(s, $"| request bytes, per recipient | {g.BodyBytes:N0}, {Per(g.BodyBytes, recipients)} |");
        Line(s, $"| recipients/s | {F(recipients / r.PushElapsed.TotalSeconds, 0)} |");
        Line(s, $"| contract violations, mailed twice, without consent, suppressed, not a customer | {g.Violations}, {g.Duplicates}, {g.NotMarketable}, {g.Suppressed}, {g.Foreign} |");
        Line(s, $"| listener's own time (in the bench process), s | {F(g.HandlerTime.TotalSeconds, 1)} |");
        // Over a push of no length (the placeholder) the percentages are noise.
        var cpu = r.PushElapsed.TotalSeconds >= 1 ? Cpu(r.PushCpu).Replace(" | ", ", ", StringComparison.Ordinal) : "n/a";
        Line(s, $"| Azurite CPU, bench CPU (% of one core) | {cpu} |");
        WriteMemory(s, r.PushMemory, "the push");
        Line(s, "");

        var entered = p.AudienceEntered;
        Line(s, "Storage during the push. Reads are point reads; queries count pages; writes are single-row upserts, updates and deletes; tx are entity group transactions.");
        Line(s, "");
        Line(s, "| storage operations | count | per recipient | per audience member entered |");
        Line(s, "| --- | ---: | ---: | ---: |");
        foreach (var (kind, n) in new (string, long)[]
        {
            ("point reads", o.PointReads), ("queries (pages)", o.Queries), ("transactions", o.Transactions), ("point writes", o.PointWrites),
            ("table reads (counter)", o.TableReads), ("table writes (counter)", o.TableWrites), ("queue operations", o.QueueOps), ("**all**", o.All),
        })
            Line(s, $"| {kind} | {n:N0} | {Per(n, recipients)} | {Per(n, entered)} |");
        Line(s, "");
        if (o.ByTarget.Count > 0)
        {
            Line(s, "| storage request (client call, table or queue) | count | per recipient |");
            Line(s, "| --- | ---: | ---: |");
            foreach (var (call, n) in o.ByTarget.OrderByDescending(x => x.Value))
                Line(s, $"| `{call}` | {n:N0} | {Per(n, recipients)} |");
            Line(s, "");
        }
    }

    private static void WriteMemory(StringBuilder s, MemoryPeaks m, string phase)
    {
        Line(s, $"| Azurite peak resident set during {phase}, at its end, MiB | {(m.AzuritePeak is { } a ? Mib(a) : "n/a")}, {(m.AzuriteAtEnd is { } e ? Mib(e) : "n/a")} |");
        Line(s, $"| bench process peak working set during {phase}, at its end, MiB | {Mib(m.BenchPeak)}, {Mib(m.BenchAtEnd)} |");
        Line(s, $"| bench managed heap peak (sampled), MiB; allocated, MB; collections gen 0/1/2 | {Mib(m.ManagedPeak)}; {F(m.Allocated / 1e6, 0)}; " +
            $"{m.Collections.Gen0}/{m.Collections.Gen1}/{m.Collections.Gen2} |");
    }
}
