using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Automation.Core.Events;
using Automation.Functions.Dev;
using Automation.Functions.Email;
using Automation.Functions.Storage;

namespace Automation.Bench;

/// <summary>One shard of the audience index read back after seeding, as a push reads it (<see cref="AudienceFilter.MarketableBuyers"/>).</summary>
internal sealed record ShardScan(int Shard, int Rows, int Expected, TimeSpan Elapsed, long Queries);

/// <summary>Everything the broadcast bench measured in one run.</summary>
internal sealed record BroadcastResult(
    int Customers, int SeedParallelism, int Parallelism, SeedTally Tally,
    SeedCounts Seed, StorageOps SeedStorage, CpuUse SeedCpu, MemoryPeaks SeedMemory, ShardScan Scan,
    PushOutcome Push, TimeSpan PushElapsed, SendGridCounts SendGrid, StorageOps PushStorage, CpuUse PushCpu, MemoryPeaks PushMemory)
{
    /// <summary>What the push did that it must not: the bench exits non-zero after the report when there is any.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (SendGrid.Violations > 0) problems.Add($"{SendGrid.Violations} SendGrid requests broke the contract, the first: {SendGrid.FirstViolation}");
        if (SendGrid.Duplicates > 0) problems.Add($"{SendGrid.Duplicates} recipients were mailed more than once");
        if (SendGrid.NotMarketable > 0) problems.Add($"{SendGrid.NotMarketable} recipients have no marketing consent");
        if (SendGrid.Suppressed > 0) problems.Add($"{SendGrid.Suppressed} recipients are on the suppression list");
        if (SendGrid.Foreign > 0) problems.Add($"{SendGrid.Foreign} recipients are not customers of the store");
        return problems;
    }
}

/// <summary>
/// Stage-5 figures: a store of generated customers (<see cref="BenchCustomers"/>) seeded straight into Azurite, then one
/// pre-holiday push (<see cref="BroadcastPush"/>) end to end to a local SendGrid listener, measured alone: wall time,
/// peak memory of both processes, SendGrid requests and recipients, storage operations by kind, processor time.
/// </summary>
internal static class BroadcastBench
{
    public const string Store = "bench";
    public const string Template = "pre-holiday";
    public const string SendGridKey = "SG.bench-broadcast-key";

    /// <summary>node's heap limit for Azurite: a million customers' rows take several GB of it (the machine has 23 GB).</summary>
    public const int AzuriteHeapMiB = 16_384;

    /// <summary>
    /// The store <c>bench</c>, selling in the nine markets of the shipped calendars, and SendGrid pointed at the listener,
    /// with a dynamic template id for <c>pre-holiday</c> in every locale a recipient could be given (each locale, language
    /// and template locale file there is), so <see cref="SendGridBatchSender.CanBatch"/> says yes whatever the broadcast's
    /// template ends up holding.
    /// </summary>
    public static Dictionary<string, string?> Settings(string sendGridHost, string repo)
    {
        var prefix = $"Automation:Stores:{Store}:";
        var settings = new Dictionary<string, string?>
        {
            [prefix + "Platform"] = "shopify",
            [prefix + "WebhookSecret"] = "bench-broadcast-secret",
            [prefix + "ShopDomain"] = "bench.myshopify.com",
            [prefix + "TimeZone"] = "America/New_York",
            [prefix + "Locale"] = "en",
            [prefix + "Currency"] = BenchCustomers.Currency,
            [prefix + "Country"] = "US",
            [prefix + "Markets"] = string.Join(',', BenchMarket.All.Select(m => m.Country)),
            [prefix + "Name"] = "Bench Store",
            [prefix + "Url"] = "https://shop.bench.example",
            [prefix + "PhysicalAddress"] = "1 Bench Street, New York, NY 10001",
            [prefix + "FromEmail"] = "hello@bench.example",
            [prefix + "UnsubscribeGroupId"] = "4242",
            ["Automation:SendGrid:ApiKey"] = SendGridKey,
            ["Automation:SendGrid:Host"] = sendGridHost,
            ["Automation:SendGrid:FromEmail"] = "hello@bench.example",
        };
        var templates = Path.Combine(repo, "templates");
        var locales = BenchMarket.AllLocales
            .SelectMany(l => new[] { l, EmailLocales.Language(l) })
            .Concat(Directory.EnumerateFiles(templates, "*.hbs", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).OfType<string>())
            .Append(EmailLocales.Fallback)
            .Distinct(StringComparer.Ordinal);
        foreach (var locale in locales)
            settings[$"Automation:SendGrid:DynamicTemplates:{Template}:{locale}"] = TemplateId(locale);
        return settings;
    }

    /// <summary>A made-up id of SendGrid's shape (<c>d-</c> and 32 hex digits), the same for a locale in every run.</summary>
    private static string TemplateId(string locale) => "d-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Template + "/" + locale)).AsSpan(0, 16));

    public static async Task<BroadcastResult> RunAsync(BenchHost host, AzuriteProcess azurite, SendGridBenchListener sendGrid, StorageCalls calls, LogCounter logs,
        int customers, int seedParallelism, int parallelism, CancellationToken ct)
    {
        var phases = new IngestionPhases(host, azurite, calls, logs);
        // The store is seeded as it is when the push is planned: 47 hours before the next occasion's first local 10:00.
        var virtualClock = host.Get<VirtualClock>();
        var preHoliday = (await host.Get<Automation.Functions.Journeys.JourneyStore>().LibraryAsync(ct)).Get("pre-holiday")
            ?? throw new InvalidOperationException("The shipped pre-holiday journey is not installed.");
        var occasions = await host.Get<Automation.Functions.Broadcasts.BroadcastPlanner>().OccasionsAsync(Store, preHoliday.Current, virtualClock.GetUtcNow(), ct);
        var firstSend = new DateTimeOffset(occasions.Min(o => o.LocalSend.Values.Min()), TimeSpan.Zero).AddHours(-14);
        var planAt = firstSend - Automation.Functions.Broadcasts.BroadcastPlanner.PlanAhead + TimeSpan.FromHours(1);
        if (planAt > virtualClock.GetUtcNow()) virtualClock.MoveTo(planAt);
        var now = virtualClock.GetUtcNow();
        now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var generator = new BenchCustomers(Store, now);
        var tally = new SeedTally(customers);

        Console.Error.WriteLine($"Broadcast: seeding {customers:N0} customers, {seedParallelism} requests in flight…");
        var memory = PhaseMemory.Start(azurite);
        phases.Reset();
        SeedCounts seed;
        try
        {
            seed = await new BroadcastSeeder(host, generator, Store, seedParallelism).SeedAsync(tally, (n, c) =>
                $"  {n:N0} customers generated; {c.Profiles:N0} profiles, {c.AudienceRows:N0} audience rows, {c.Suppressions:N0} suppressions written in {c.Elapsed.TotalSeconds:N0} s " +
                $"({(c.Profiles + c.AudienceRows) / c.Elapsed.TotalSeconds:N0} rows/s); Azurite {azurite.ResidentBytes() / 1048576:N0} MiB, bench {Environment.WorkingSet / 1048576:N0} MiB", ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && azurite.Exited() is { } exit)
        {
            throw new InvalidOperationException($"Azurite died while seeding ({tally.Tiers.Values.Sum(t => t.All):N0} customers generated): {exit}", ex);
        }
        var seedStorage = phases.Storage();
        var seedCpu = phases.Cpu(seed.Elapsed);
        var seedMemory = await memory.StopAsync();
        if (seed.Profiles != customers || seed.AudienceRows != tally.AudienceRows || seed.Suppressions != tally.SuppressedCount)
            throw new InvalidOperationException($"Seeding wrote {seed.Profiles} profiles, {seed.AudienceRows} audience rows and {seed.Suppressions} suppressions " +
                $"of {customers}, {tally.AudienceRows} and {tally.SuppressedCount}.");
        await CheckProfileAsync(host, generator, ct);
        var scan = await ScanAsync(host, phases, tally, ct);
        Console.Error.WriteLine($"Broadcast: seeded in {seed.Elapsed.TotalSeconds:N0} s; one shard read back in {scan.Elapsed.TotalSeconds:N1} s. The push…");

        sendGrid.Expect(tally);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var push = BroadcastPush.Create(new BroadcastContext(host, Store, Template, now, parallelism));
        memory = PhaseMemory.Start(azurite);
        phases.Reset();
        var clock = Stopwatch.StartNew();
        var outcome = await push(ct);
        clock.Stop();
        var pushStorage = phases.Storage();
        var pushCpu = phases.Cpu(clock.Elapsed);
        var pushMemory = await memory.StopAsync();
        return new BroadcastResult(customers, seedParallelism, parallelism, tally, seed, seedStorage, seedCpu, seedMemory, scan,
            outcome, clock.Elapsed, sendGrid.Counts(), pushStorage, pushCpu, pushMemory);
    }

    /// <summary>The first customer's profile, read back as the app reads it, must be the one generated.</summary>
    private static async Task CheckProfileAsync(BenchHost host, BenchCustomers generator, CancellationToken ct)
    {
        var expected = generator.Generate(1).Profile;
        var state = await host.Get<CustomerTable>().ReadStateAsync(Core.Customers.CustomerKey.Partition(Store, expected.CustomerKey), ct);
        if (JsonSerializer.Serialize(state.Profile, EventJson.Options) != JsonSerializer.Serialize(expected, EventJson.Options))
            throw new InvalidOperationException("The first customer's profile does not read back as it was generated.");
    }

    /// <summary>Reads shard 0 as a push would, timed: on Azurite every page of a query scans the whole table.</summary>
    private static async Task<ShardScan> ScanAsync(BenchHost host, IngestionPhases phases, SeedTally tally, CancellationToken ct)
    {
        phases.Reset();
        var clock = Stopwatch.StartNew();
        var rows = 0;
        await foreach (var _ in host.Get<AudienceIndex>().ScanAsync(Store, 0, AudienceFilter.MarketableBuyers, ct)) rows++;
        clock.Stop();
        if (rows != tally.MarketableBuyerShards[0])
            throw new InvalidOperationException($"Shard 0 has {rows} marketable buyers; {tally.MarketableBuyerShards[0]} were seeded.");
        return new ShardScan(0, rows, tally.MarketableBuyerShards[0], clock.Elapsed, phases.Storage().Queries);
    }
}
